/* entrysim golden case: bt leaves OF undefined; jo reads it. */
	.text
	movq	$5, %rax
	btq	$0, %rax
	jo	1f
	addq	$1, %rax
1:	hlt
