.macro FOO r:req
	mov \r, %rax
.endm
	FOO
