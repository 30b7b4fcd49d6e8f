.macro FOO r:req
	frobnicate \r
.endm
	FOO %rax
