/* entrysim shim: 64-bit spellings of the kernel's width-neutral asm helpers. */
#ifndef _ENTRYSIM_SHIM_ASM_H
#define _ENTRYSIM_SHIM_ASM_H
#define _ASM_PTR .quad
#define _ASM_ALIGN .balign 8
#define _ASM_SP %rsp
#define _ASM_AX %rax
#endif
