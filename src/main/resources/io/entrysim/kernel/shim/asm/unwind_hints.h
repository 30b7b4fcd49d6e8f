/* entrysim shim: objtool unwind hints only emit metadata for the ORC unwinder; they change no
 * machine state, so they expand to nothing here (the parameters are still checked). */
#ifndef _ENTRYSIM_SHIM_UNWIND_HINTS_H
#define _ENTRYSIM_SHIM_UNWIND_HINTS_H

.macro UNWIND_HINT sp_reg=0 sp_offset=0 type=0 end=0 signal=1
.endm
.macro UNWIND_HINT_EMPTY
.endm
.macro UNWIND_HINT_END_OF_STACK
.endm
.macro UNWIND_HINT_UNDEFINED
.endm
.macro UNWIND_HINT_ENTRY
.endm
.macro UNWIND_HINT_REGS base=%rsp, offset=0, indirect=0, extra=1, iret=0, partial=0, signal=1
.endm
.macro UNWIND_HINT_IRET_REGS base=%rsp, offset=0, signal=1
.endm
.macro UNWIND_HINT_IRET_ENTRY base=%rsp, offset=0, signal=1
.endm
.macro UNWIND_HINT_FUNC sp_offset=8
.endm
.macro UNWIND_HINT_SAVE
.endm
.macro UNWIND_HINT_RESTORE
.endm

#endif
