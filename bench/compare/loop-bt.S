/*
 * Tight loop for bin/bench --compare: bit tests feeding adc, btr, a push/pop pair, xor, dec/jnz:
 * 8 instructions an iteration (RCX iterations, RCX > 0).
 */
	.text
	.globl	loop_bt
loop_bt:
1:	btq	%rcx, %rdx
	adcq	$0, %rax
	btrq	$3, %rdx
	pushq	%rdx
	popq	%rsi
	xorq	%rcx, %rdx
	decq	%rcx
	jnz	1b
	hlt
