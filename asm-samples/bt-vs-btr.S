/*
 * entrysim sample: "you're doing bt then btr. Why not just do a single btr?" (the seed thread).
 * Two ways for the exit to the user CR3 to take a pending flush request for its PCID from the
 * per-CPU mask. Written for entrysim.
 *
 *   bt_then_btr: test the bit; only if set, clear it (a write) and flush.
 *   single_btr:  test-and-clear in one instruction (always a write, of the same value when the
 *                bit was clear), flush if it was set.
 *
 * They are equivalent in what can be observed: every RUN line below runs both entries from the
 * same input, and the same expectations hold for both -- the same CR3 write (value and
 * flush/no-flush) and the same final mask. What differs is not observable here: single_btr
 * always writes the cache line (bt_then_btr only when a flush is pending), which is Peter
 * Zijlstra's point about exclusive cacheline access.
 *
 * ENTRYSIM-RUN[none]:  --feature PTI+PCID --entry {bt_then_btr,single_btr} --mem %gs:FLUSH_MASK=0:2
 * ENTRYSIM-EXPECT[none]: cr3-writes == [noflush 0x1c0b801]
 * ENTRYSIM-EXPECT[none]: mem16 %gs:FLUSH_MASK == 0
 * ENTRYSIM-RUN[mine]:  --feature PTI+PCID --entry {bt_then_btr,single_btr} --mem %gs:FLUSH_MASK=0x2:2
 * ENTRYSIM-EXPECT[mine]: cr3-writes == [flush 0x1c0b801]
 * ENTRYSIM-EXPECT[mine]: mem16 %gs:FLUSH_MASK == 0
 * ENTRYSIM-RUN[other]: --feature PTI+PCID --entry {bt_then_btr,single_btr} --mem %gs:FLUSH_MASK={0x4,0x8004}:2
 * ENTRYSIM-EXPECT[other]: cr3-writes == [noflush 0x1c0b801]
 * ENTRYSIM-EXPECT[other]: (mem16[%gs:FLUSH_MASK] & 0x2) == 0
 * ENTRYSIM-EXPECT[other]: mem16 %gs:FLUSH_MASK != 0
 * ENTRYSIM-RUN[both]:  --feature PTI+PCID --entry {bt_then_btr,single_btr} --mem %gs:FLUSH_MASK=0x6:2
 * ENTRYSIM-EXPECT[both]: cr3-writes == [flush 0x1c0b801]
 * ENTRYSIM-EXPECT[both]: mem16 %gs:FLUSH_MASK == 0x4
 * PCID 5 (kernel CR3 0x1c0a005): its own bit, 5.
 * ENTRYSIM-RUN[pcid5]: --feature PTI+PCID --entry {bt_then_btr,single_btr} --set cr3=0x1c0a005 --mem %gs:FLUSH_MASK=0x22:2
 * ENTRYSIM-EXPECT[pcid5]: cr3-writes == [flush 0x1c0b805]
 * ENTRYSIM-EXPECT[pcid5]: mem16 %gs:FLUSH_MASK == 0x2
 * ENTRYSIM-EXPECT: stop == hlt
 * ENTRYSIM-EXPECT: no violation
 * ENTRYSIM-EXPECT: stack balanced
 */
#include <asm/cpufeatures.h>
#include <asm/percpu.h>
#include <asm/asm-offsets.h>

/* The per-CPU pending-flush mask, as --mem and the expectations name it too. */
#define FLUSH_MASK	(cpu_tlbstate + TLB_STATE_user_pcid_flush_mask)
#define USER_BITS	((1 << 12) | (1 << 11))	/* user PGD half, user PCID */

	.section .entry.text, "ax"
	.globl	bt_then_btr
bt_then_btr:
	movq	%cr3, %rdi
	movq	%rdi, %rsi
	andq	$0x7ff, %rsi			/* the kernel PCID indexes the mask */
	bt	%rsi, %gs:FLUSH_MASK
	jnc	1f
	btr	%rsi, %gs:FLUSH_MASK			/* pending: take it, and flush */
	jmp	2f
1:	bts	$63, %rdi			/* nothing pending: keep the TLB */
2:	orq	$USER_BITS, %rdi
	movq	%rdi, %cr3
	hlt

	.globl	single_btr
single_btr:
	movq	%cr3, %rdi
	movq	%rdi, %rsi
	andq	$0x7ff, %rsi
	btr	%rsi, %gs:FLUSH_MASK			/* take it if pending, in one go */
	jc	1f
	bts	$63, %rdi
1:	orq	$USER_BITS, %rdi
	movq	%rdi, %cr3
	hlt
