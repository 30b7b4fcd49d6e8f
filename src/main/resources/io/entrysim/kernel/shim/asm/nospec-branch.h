/* entrysim shim: speculation barriers only change what the CPU speculates, never architectural
 * state, so the retpoline forms run as the plain indirect branch they stand for.
 *
 * JMP_NOSPEC and CALL_NOSPEC take the register as each kernel era spells it: with its '%'
 * (v4.15: "JMP_NOSPEC %rdi", or any other operand "jmp *" takes) or bare (5.x and later:
 * "CALL_NOSPEC rsi", where the name also picks the __x86_indirect_thunk_rsi thunk). */
#ifndef _ENTRYSIM_SHIM_NOSPEC_BRANCH_H
#define _ENTRYSIM_SHIM_NOSPEC_BRANCH_H
#include <asm/alternative-asm.h>
#include <asm/cpufeatures.h>
#define __ENTRYSIM_GPRS64 rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8, r9, r10, r11, r12, r13, r14, r15
.macro JMP_NOSPEC reg:req
	.set .Lentrysim_nospec_bare, 0
	.irp bare, __ENTRYSIM_GPRS64
	.ifc \reg, \bare
	.set .Lentrysim_nospec_bare, 1
	jmp	*%\bare
	.endif
	.endr
	.if .Lentrysim_nospec_bare == 0
	jmp	*\reg
	.endif
.endm
.macro CALL_NOSPEC reg:req
	.set .Lentrysim_nospec_bare, 0
	.irp bare, __ENTRYSIM_GPRS64
	.ifc \reg, \bare
	.set .Lentrysim_nospec_bare, 1
	call	*%\bare
	.endif
	.endr
	.if .Lentrysim_nospec_bare == 0
	call	*\reg
	.endif
.endm
.macro FILL_RETURN_BUFFER reg:req, nr:req, ftr:req
.endm
#endif
