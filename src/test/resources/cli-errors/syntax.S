	.text
	movq %rax,, %rbx
