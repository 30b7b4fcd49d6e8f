/* entrysim shim: CPU feature bit numbers (word*32 + bit, as the kernel numbers them).
 * --feature NAME selects X86_FEATURE_NAME; io.entrysim.kernel.CpuFeature holds the same table
 * (a unit test keeps the two in step). Numbers follow the kernel where eras agree; where they
 * moved (RETPOLINE: 7*32+12 in v4.15, 11*32+12 in v6) the newer one is used, so every name
 * stays distinct. */
#ifndef _ENTRYSIM_SHIM_CPUFEATURES_H
#define _ENTRYSIM_SHIM_CPUFEATURES_H

#define X86_FEATURE_SEP              (0*32 + 11)
#define X86_FEATURE_PGE              (0*32 + 13)
#define X86_FEATURE_XMM              (0*32 + 25)
#define X86_FEATURE_SYSCALL32        (3*32 + 14)
#define X86_FEATURE_LFENCE_RDTSC     (3*32 + 18)
#define X86_FEATURE_NOPL             (3*32 + 20)
#define X86_FEATURE_ALWAYS           (3*32 + 21)
#define X86_FEATURE_PCID             (4*32 + 17)
#define X86_FEATURE_INVPCID_SINGLE   (7*32 + 7)
#define X86_FEATURE_PTI              (7*32 + 11)
#define X86_FEATURE_KERNEL_IBRS      (7*32 + 12)
#define X86_FEATURE_RETPOLINE_AMD    (7*32 + 13)
#define X86_FEATURE_RSB_CTXSW        (7*32 + 19)
#define X86_FEATURE_KAISER           (7*32 + 31)
#define X86_FEATURE_XENPV            (8*32 + 16)
#define X86_FEATURE_FSGSBASE         (9*32 + 0)
#define X86_FEATURE_SMEP             (9*32 + 7)
#define X86_FEATURE_INVPCID          (9*32 + 10)
#define X86_FEATURE_SMAP             (9*32 + 20)
#define X86_FEATURE_RETPOLINE        (11*32 + 12)
#define X86_FEATURE_FENCE_SWAPGS_USER   (11*32 + 4)
#define X86_FEATURE_FENCE_SWAPGS_KERNEL (11*32 + 5)

#include <asm/alternative-asm.h>

#endif
