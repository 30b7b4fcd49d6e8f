/*
 * entrysim sample: enter the kernel from user mode with only a scratch register, the way the
 * SYSCALL entry does it (no stack may be touched before the CR3 switch). Written for entrysim.
 *
 * It starts as user mode leaves the machine: user CR3 (PCID 1|0x800, user PGD half) and the
 * user GS base, with the per-CPU base parked in KERNEL_GS_BASE until swapgs:
 *
 *   bin/entrysim run asm-samples/switch-to-kernel.S --feature PTI,PCID --set cr3=0x1c0b801 \
 *       --set gs_base=0 --set kernel_gs_base=0xffff88807fc00000 --dump %gs:saved_user_rsp
 */
#include <asm/cpufeatures.h>

#define USER_BITS	((1 << 11) | (1 << 12))	/* user PCID bit and user PGD half */

.macro to_kernel_cr3 tmp:req
	ALTERNATIVE "jmp .Lout_\@", "", X86_FEATURE_PTI
	movq	%cr3, \tmp
	ALTERNATIVE "", "bts $63, \tmp", X86_FEATURE_PCID	/* kernel TLB entries stay valid */
	andq	$(~USER_BITS), \tmp
	movq	\tmp, %cr3
.Lout_\@:
.endm

	.section .entry.text, "ax"
	.globl	syscall_entry
syscall_entry:
	swapgs
	movq	%rsp, %gs:saved_user_rsp	/* allocated on use as a per-CPU symbol */
	to_kernel_cr3 tmp=%rsp
	movq	%gs:kernel_top, %rsp
	hlt

/*
 * Spec (entrysim test; kept below the code so the line numbers above stay put):
 * ENTRYSIM-RUN[pcid]: --feature PTI+PCID --set cr3=0x1c0b801 --set gs_base=0 \
 *     --set kernel_gs_base=0xffff88807fc00000 --set rsp={0x7fffffffe000,0x7ffc12345670}
 * ENTRYSIM-EXPECT[pcid]: cr3-writes == [noflush 0x1c0a001]
 * ENTRYSIM-RUN[nopcid]: --feature PTI --set cr3=0x1c0b000 --set gs_base=0 \
 *     --set kernel_gs_base=0xffff88807fc00000 --set rsp=0x7fffffffe000
 * ENTRYSIM-EXPECT[nopcid]: cr3-writes == [flush 0x1c0a000]
 * ENTRYSIM-EXPECT: stop == hlt
 * ENTRYSIM-EXPECT: gs_base == 0xffff88807fc00000
 * ENTRYSIM-EXPECT: kernel_gs_base == 0
 * ENTRYSIM-EXPECT: (mem64[%gs:saved_user_rsp] & 0xffff800000000000) == 0
 * ENTRYSIM-EXPECT: unchanged rax,rbx,rcx,rdx,rsi,rdi,rbp,r8-r15
 */
