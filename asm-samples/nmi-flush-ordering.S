/*
 * entrysim sample: the seed thread's ordering question, asked of the real macros. Written for
 * entrysim; the macros themselves are read unchanged from the kernel corpus (these runs skip,
 * visibly, when ../shared/corpus/kernel is absent).
 *
 * Can an NMI that arrives between the exit's flush-mask update and its CR3 write, or between
 * the user CR3 write and the return to user mode, lose a user-PCID flush the C side asked for?
 * The exit below is a SYSRET return on the entry stack (mapped in both page-table halves); the
 * NMI handler (IST 2, .entry.text) does what the kernel's does: SAVE_AND_SWITCH_TO_KERNEL_CR3
 * into %r14, the C handler, RESTORE_CR3 from %r14. Both come from
 *   - calling-v4.15.h (SWITCH_TO_USER_CR3_STACK: btr on cpu_tlbstate.user_pcid_flush_mask), and
 *   - the seed-era calling-kaiser-2017-11-29-after-5of6.h (-DSEED_ERA: SWITCH_TO_USER_CR3 with
 *     push / bt / btr / pop on user_asid_flush_mask, behind kaiser_enabled_key).
 *
 * The answer: no. `entrysim test asm-samples/nmi-flush-ordering.S` puts an NMI before every
 * instruction boundary of the exit (14-21 boundaries per configuration), with the flush
 * requested (--invalidate user-pcid=1) and not, PCID on and off: no boundary loses the flush
 * (no lost-flush at the sysretq), the handler runs the C code on the kernel CR3 and gives back
 * exactly the CR3 it interrupted. Why: before the mask update the NMI finds the kernel CR3 and
 * RESTORE_CR3 puts it back without looking at the mask; between the mask update and the CR3
 * write it finds the kernel CR3 too, and the exit's write, decided already, still flushes;
 * after the write the request is consumed and the flush done, so RESTORE_CR3's NOFLUSH write of
 * the user CR3 keeps nothing stale.
 */
#include <asm/msr.h>
#ifdef SEED_ERA
#include "calling-kaiser-2017-11-29-after-5of6.h"
.macro exit_to_user_cr3
	SWITCH_TO_USER_CR3 scratch_reg=%rdi
.endm
#else
#include "calling-v4.15.h"
.macro exit_to_user_cr3
	SWITCH_TO_USER_CR3_STACK %rdi			/* scratch_reg, positional */
.endm
#endif

/*
 * ENTRYSIM-RUN[v415]: -I ../../shared/corpus/kernel -DCONFIG_PAGE_TABLE_ISOLATION --machine pti \
 *     --feature PTI+PCID --invalidate user-pcid=1
 * ENTRYSIM-RUN[v415]: -I ../../shared/corpus/kernel -DCONFIG_PAGE_TABLE_ISOLATION --machine pti \
 *     --feature PTI+PCID
 * ENTRYSIM-EXPECT[v415,v415-nopcid]: mem16 %gs:cpu_tlbstate+TLB_STATE_user_pcid_flush_mask == 0
 * ENTRYSIM-RUN[seed]: -I ../../shared/corpus/kernel -DSEED_ERA -DCONFIG_KAISER --machine pti \
 *     --feature PCID --invalidate user-pcid=1
 * ENTRYSIM-RUN[seed]: -I ../../shared/corpus/kernel -DSEED_ERA -DCONFIG_KAISER --machine pti \
 *     --feature PCID
 * ENTRYSIM-EXPECT[seed,seed-nopcid]: mem64 %gs:user_asid_flush_mask == 0
 * ENTRYSIM-EXPECT[v415,seed]: cr3 == 0x1c0b801
 * ENTRYSIM-EXPECT[v415,seed,v415-nopcid]: no violation
 * Without PCID every write flushes. v4.15 sets only the PGD bit then; the seed-era
 * KAISER_SWITCH_MASK sets bit 11 as well, which a CPU without CR4.PCIDE ignores and entrysim
 * reports (pcid-bits-without-pcid): a finding about the 2017 patches, not about the NMI.
 * ENTRYSIM-RUN[v415-nopcid]: -I ../../shared/corpus/kernel -DCONFIG_PAGE_TABLE_ISOLATION --machine pti --feature PTI
 * ENTRYSIM-EXPECT[v415-nopcid]: cr3-writes == [flush 0x1c0b000]
 * ENTRYSIM-RUN[seed-nopcid]: -I ../../shared/corpus/kernel -DSEED_ERA -DCONFIG_KAISER --machine pti
 * ENTRYSIM-EXPECT[seed-nopcid]: cr3-writes == [flush 0x1c0b800]
 * ENTRYSIM-EXPECT[seed-nopcid]: violation pcid-bits-without-pcid
 * Every run: back in user mode at user_text, the request (if any) consumed.
 * ENTRYSIM-EXPECT: stop == return-to-user
 * ENTRYSIM-EXPECT: rip == user_text
 * ENTRYSIM-NMI: each handler=nmi ist=2
 */

	.section .entry.text, "ax"
	.globl	exit_to_user
exit_to_user:
	movabsq	$user_text, %rcx		/* user RIP for sysretq (no code there: the run ends) */
	movq	$0x202, %r11			/* user RFLAGS: IF */
	movabsq	$(user_stack_top - 64), %rax	/* user RSP */
	movabsq	$entry_stack_top, %rsp		/* the trampoline stack: both halves map it */
	pushq	%rax
	exit_to_user_cr3
	popq	%rsp
	swapgs
	sysretq

	.globl	nmi
nmi:
	pushq	%rax
	pushq	%rcx
	pushq	%rdx
	pushq	%rbx
	pushq	%r14
	pushq	%r15
	/* Which GS? The kernel's per-CPU base is in the upper half, so it reads as negative. */
	xorl	%ebx, %ebx
	movl	$MSR_GS_BASE, %ecx
	rdmsr
	testl	%edx, %edx
	js	1f
	swapgs
	incl	%ebx
1:
	SAVE_AND_SWITCH_TO_KERNEL_CR3 scratch_reg=%r15 save_reg=%r14
	call	do_nmi				/* the C handler: kernel text, kernel CR3 */
	RESTORE_CR3 %r15 %r14			/* scratch_reg save_reg */
	testl	%ebx, %ebx
	jz	2f
	swapgs
2:
	popq	%r15
	popq	%r14
	popq	%rbx
	popq	%rdx
	popq	%rcx
	popq	%rax
	iretq
