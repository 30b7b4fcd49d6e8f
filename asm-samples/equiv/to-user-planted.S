/*
 * entrysim sample for `entrysim equiv`: to-user.S with a planted bug (written for entrysim): the
 * NOFLUSH bit is also set on the path that took a flush request, so the request is consumed and
 * the flush never happens. Only inputs with this PCID's bit set in the mask show it.
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
	bts	$63, %rdi
	jmp	2f
1:	bts	$63, %rdi			/* planted: NOFLUSH although a flush was requested */
2:	orq	$0x1800, %rdi
	movq	%rdi, %cr3
	hlt
