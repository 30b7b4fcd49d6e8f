/* entrysim shim: SMAP's clac/stac, patched in when the CPU has SMAP. */
#ifndef _ENTRYSIM_SHIM_SMAP_H
#define _ENTRYSIM_SHIM_SMAP_H
#include <asm/alternative-asm.h>
#include <asm/cpufeatures.h>
#define ASM_CLAC ALTERNATIVE "", "clac", X86_FEATURE_SMAP
#define ASM_STAC ALTERNATIVE "", "stac", X86_FEATURE_SMAP
#endif
