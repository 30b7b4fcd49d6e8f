/* entrysim shim: symbol-definition helpers of both eras (ENTRY/END and SYM_*). */
#ifndef _ENTRYSIM_SHIM_LINKAGE_H
#define _ENTRYSIM_SHIM_LINKAGE_H
#include <asm/linkage.h>
#define ALIGN .p2align 4, 0x90
#define GLOBAL(name) .globl name; name:
#define ENTRY(name) .globl name; ALIGN; name:
#define END(name) .size name, .-name
#define ENDPROC(name) .type name, @function; END(name)
#define SYM_CODE_START(name) .globl name; ALIGN; name:
#define SYM_CODE_START_NOALIGN(name) .globl name; name:
#define SYM_CODE_START_LOCAL(name) ALIGN; name:
#define SYM_CODE_START_LOCAL_NOALIGN(name) name:
#define SYM_CODE_END(name) .size name, .-name
#define SYM_FUNC_START(name) .globl name; ALIGN; name:
#define SYM_FUNC_END(name) .size name, .-name
#define SYM_INNER_LABEL(name, linkage) .globl name; name:
#define SYM_L_GLOBAL 0
#define SYM_L_LOCAL 1
#endif
