.macro inner reg:req
	andq $0x100000000, \reg
.endm
.macro outer reg:req
	inner \reg
.endm
