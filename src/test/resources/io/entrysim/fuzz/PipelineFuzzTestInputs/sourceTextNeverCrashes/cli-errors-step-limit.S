1:	jmp 1b
