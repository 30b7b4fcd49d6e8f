/*
 * entrysim sample: leave the kernel on the user page tables (PTI), flushing the user PCID
 * only when the C side asked for it. Written for entrysim in the style of the kernel's
 * exit path; it uses one btr+jc where v4.15 uses bt then btr (the question Borislav asked).
 *
 *   bin/entrysim run asm-samples/switch-to-user.S --feature PTI,PCID \
 *       --mem '%gs:cpu_tlbstate+TLB_STATE_user_pcid_flush_mask=0x2:2'
 */
#include <asm/cpufeatures.h>
#include <asm/percpu.h>
#include <asm/asm-offsets.h>

#define USER_PGD_BIT	12		/* the 8 KiB PGD pair: upper half is the user copy */
#define USER_PCID_BIT	11		/* user PCID = kernel PCID | 0x800 */
#define NOFLUSH_BIT	63

#define FLUSH_PENDING	PER_CPU_VAR(cpu_tlbstate + TLB_STATE_user_pcid_flush_mask)

.macro to_user_cr3 tmp:req keep:req
	ALTERNATIVE "jmp .Lstay_\@", "", X86_FEATURE_PTI
	movq	%cr3, \tmp
	ALTERNATIVE "jmp .Lpgd_\@", "", X86_FEATURE_PCID
	movq	\tmp, \keep
	andq	$0x7ff, \tmp		/* the kernel PCID indexes the pending-flush mask */
	btr	\tmp, FLUSH_PENDING
	movq	\keep, \tmp
	jc	.Lpcid_\@		/* a flush was pending: write without NOFLUSH */
	bts	$NOFLUSH_BIT, \tmp
.Lpcid_\@:
	orq	$(1 << USER_PCID_BIT), \tmp
.Lpgd_\@:
	orq	$(1 << USER_PGD_BIT), \tmp
	movq	\tmp, %cr3
.Lstay_\@:
.endm

	.section .entry.text, "ax"
	.globl	exit_to_user
exit_to_user:
	pushq	%rax			/* on the entry stack, which the user tables map */
	to_user_cr3 tmp=%rdi keep=%rax
	popq	%rax
	hlt

/*
 * Spec (entrysim test; kept below the code so the line numbers above stay put):
 * Checked by `entrysim test asm-samples/switch-to-user.S` (kernel PCID 1, so mask bit 1):
 *
 * A flush was requested: the write flushes, and the request is consumed.
 * ENTRYSIM-RUN[flush]: --feature PTI+PCID --mem '%gs:cpu_tlbstate+TLB_STATE_user_pcid_flush_mask=0x2:2'
 * ENTRYSIM-EXPECT[flush]: cr3-writes == [flush 0x1c0b801]
 * ENTRYSIM-EXPECT[flush]: mem16 %gs:cpu_tlbstate+TLB_STATE_user_pcid_flush_mask == 0
 * Another PCID's request is left alone, and this PCID keeps its TLB entries.
 * ENTRYSIM-RUN[keep]: --feature PTI+PCID --mem %gs:cpu_tlbstate+TLB_STATE_user_pcid_flush_mask={0,0x4}:2
 * ENTRYSIM-EXPECT[keep]: cr3-writes == [noflush 0x1c0b801]
 * ENTRYSIM-EXPECT[keep]: (cr3 & 0x800) != 0
 * Without PCID every write flushes; without PTI there is nothing to switch.
 * ENTRYSIM-RUN[nopcid]: --feature PTI
 * ENTRYSIM-EXPECT[nopcid]: cr3-writes == [flush 0x1c0b000]
 * ENTRYSIM-RUN[off]: --feature {,PCID}
 * ENTRYSIM-EXPECT[off]: cr3-writes == []
 * Whatever the configuration:
 * ENTRYSIM-EXPECT: stop == hlt
 * ENTRYSIM-EXPECT: no violation
 * ENTRYSIM-EXPECT: unchanged rax,rbx,rbp,rsi,r12-r15
 * ENTRYSIM-EXPECT: stack balanced
 */
