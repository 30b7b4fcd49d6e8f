/* entrysim shim: speculation barriers only change what the CPU speculates, never architectural
 * state, so the retpoline forms run as the plain indirect branch they stand for. */
#ifndef _ENTRYSIM_SHIM_NOSPEC_BRANCH_H
#define _ENTRYSIM_SHIM_NOSPEC_BRANCH_H
#include <asm/alternative-asm.h>
#include <asm/cpufeatures.h>
.macro JMP_NOSPEC reg:req
	jmp	*\reg
.endm
.macro CALL_NOSPEC reg:req
	call	*\reg
.endm
.macro FILL_RETURN_BUFFER reg:req, nr:req, ftr:req
.endm
#endif
