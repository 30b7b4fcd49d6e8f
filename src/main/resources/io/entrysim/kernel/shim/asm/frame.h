/* entrysim shim: frame-pointer helpers; they emit code only with CONFIG_FRAME_POINTER. */
#ifndef _ENTRYSIM_SHIM_FRAME_H
#define _ENTRYSIM_SHIM_FRAME_H
#ifdef CONFIG_FRAME_POINTER
.macro FRAME_BEGIN
	push %rbp
	mov %rsp, %rbp
.endm
.macro FRAME_END
	pop %rbp
.endm
#define FRAME_OFFSET 8
#else
.macro FRAME_BEGIN
.endm
.macro FRAME_END
.endm
#define FRAME_OFFSET 0
#endif
#endif
