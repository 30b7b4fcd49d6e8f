/* entrysim shim: native (non-paravirt) kernels; only the clobber masks are used from asm. */
#ifndef _ENTRYSIM_SHIM_PARAVIRT_H
#define _ENTRYSIM_SHIM_PARAVIRT_H
#define CLBR_NONE 0
#define CLBR_ANY ((1 << 4) - 1)
#endif
