	call do_nmi
