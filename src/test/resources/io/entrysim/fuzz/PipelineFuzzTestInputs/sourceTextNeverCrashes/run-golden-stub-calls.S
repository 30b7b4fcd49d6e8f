/* entrysim golden case: calls into C that the program never defines. */
	.text
	movq	$0x1234, %rdi
	call	some_c_function
	movq	%rax, %rbx
	call	*table_of_handlers(,%rdi,8)
	hlt
