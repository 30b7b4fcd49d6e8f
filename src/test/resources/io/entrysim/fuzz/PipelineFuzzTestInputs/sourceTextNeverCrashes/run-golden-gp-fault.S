/* entrysim golden case: a non-canonical load inside a macro faults #GP(0). */
.macro load_from addr:req, into:req
	movabsq	$\addr, %rcx
	movq	(%rcx), \into
.endm
	.text
	load_from 0x8000000000000000, %rdx
	hlt
