/* entrysim shim: the model-specific register numbers entry code touches. */
#ifndef _ENTRYSIM_SHIM_MSR_H
#define _ENTRYSIM_SHIM_MSR_H
#define MSR_IA32_SPEC_CTRL 0x00000048
#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_CSTAR 0xc0000083
#define MSR_SYSCALL_MASK 0xc0000084
#define MSR_FS_BASE 0xc0000100
#define MSR_GS_BASE 0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102
#endif
