/* Tight loop for bin/bench --compare: dec/jnz, 2 instructions an iteration (RCX iterations). */
	.text
	.globl	loop_dec
loop_dec:
1:	decq	%rcx
	jnz	1b
	hlt
