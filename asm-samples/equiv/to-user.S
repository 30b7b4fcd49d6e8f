/*
 * entrysim sample for `entrysim equiv`: the exit to the user CR3, taking a pending flush request
 * for its PCID from the per-CPU mask (written for entrysim). Compare with to-user-planted.S,
 * which differs on one branch only:
 *
 *   bin/entrysim equiv asm-samples/equiv/to-user.S asm-samples/equiv/to-user-planted.S \
 *       --feature PTI,PCID --over 'cr3 in {0x1c0a001,0x1c0a002,0x1c0a006}' \
 *       --over 'mem %gs:cpu_tlbstate+TLB_STATE_user_pcid_flush_mask:2 in *'
 */
#include <asm/percpu.h>
#include <asm/asm-offsets.h>

	.section .entry.text, "ax"
	.globl	to_user
to_user:
	movq	%cr3, %rdi
	movq	%rdi, %rsi
	andq	$0x7ff, %rsi
	btr	%rsi, PER_CPU_VAR(cpu_tlbstate + TLB_STATE_user_pcid_flush_mask)
	jc	1f
	bts	$63, %rdi			/* nothing pending: keep the TLB */
1:	orq	$0x1800, %rdi
	movq	%rdi, %cr3
	hlt
