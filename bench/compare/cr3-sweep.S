/*
 * The per-state sweep's snippet (bin/bench --compare): an entry and an exit around a little
 * per-CPU work, switching CR3 each way as PTI does, with PCIDs. 27 instructions on the no-flush
 * path (26 when a flush is pending). Plain GNU as (no cpp), so that entrysim and gcc + as +
 * Unicorn assemble the same text; FLUSH_MASK is the 16-bit mask of kernel PCIDs whose user
 * PCID must be flushed at the next exit, which each state of the sweep sets.
 *
 * Starts on the entry stack with the user tables loaded (CR3 = user PGD | user PCID 0x801).
 */
	.set	FLUSH_MASK, cpu_tlbstate + 22

	.section .entry.text, "ax"
	.globl	cr3_sweep
cr3_sweep:
	pushq	%rdi
	pushq	%rax
	pushq	%rsi
	/* entry: the kernel half of the PGD pair, the kernel PCID, keep its TLB entries */
	movq	%cr3, %rdi
	andq	$~0x1800, %rdi
	bts	$63, %rdi
	movq	%rdi, %cr3
	/* the kernel's work: count the entry, log CR3 in an 8-slot per-CPU ring */
	movq	%gs:bench_entries, %rax
	incq	%rax
	movq	%rax, %gs:bench_entries
	andq	$7, %rax
	movq	%rdi, %gs:bench_ring(, %rax, 8)
	/* exit: consume this PCID's pending flush (btr), flush only if there was one */
	movq	%cr3, %rax
	movq	%rax, %rdi
	andq	$0x7ff, %rdi
	btr	%rdi, %gs:FLUSH_MASK
	sbbq	%rsi, %rsi
	movq	%rax, %rdi
	jc	1f
	bts	$63, %rdi
1:	subq	%rsi, %gs:bench_flushes
	orq	$0x1800, %rdi
	movq	%rdi, %cr3
	popq	%rsi
	popq	%rax
	popq	%rdi
	hlt
