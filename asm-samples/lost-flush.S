/*
 * entrysim sample: a lost user-PCID flush. This exit path always writes the user CR3 with
 * NOFLUSH (bit 63) and never looks at the pending-flush mask, so after the C side changed the
 * page tables the user PCID keeps stale TLB entries. Written for entrysim.
 *
 *   bin/entrysim run asm-samples/lost-flush.S --machine pti --feature PTI,PCID \
 *       --invalidate user-pcid=1 --exit-to-user
 *       -> lost-flush: user PCID 0x801 returns to user mode with stale entries
 * Compare asm-samples/switch-to-user.S, which consumes the request and flushes.
 */
	.section .entry.text, "ax"
	.globl	exit_noflush_always
exit_noflush_always:
	movq	%cr3, %rdi
	bts	$63, %rdi		/* keep the TLB: wrong after an invalidation */
	orq	$((1 << 11) | (1 << 12)), %rdi
	movq	%rdi, %cr3
	hlt

/*
 * Spec (entrysim test; kept below the code so the line numbers above stay put):
 * ENTRYSIM-RUN[stale]: --machine pti --feature PTI+PCID --invalidate user-pcid=1 --exit-to-user
 * ENTRYSIM-EXPECT[stale]: violation lost-flush
 * Nothing requested: keeping the TLB is right.
 * ENTRYSIM-RUN[clean]: --machine pti --feature PTI+PCID --exit-to-user
 * ENTRYSIM-EXPECT[clean]: no violation
 * ENTRYSIM-EXPECT: cr3-writes == [noflush 0x1c0b801]
 */
