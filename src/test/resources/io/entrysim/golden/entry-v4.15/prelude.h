/*
 * entrysim test prelude for Linux v4.15 arch/x86/entry/entry_64.S, written for entrysim (this is
 * not kernel text). The corpus holds an excerpt of entry_64.S; the kept code invokes a few
 * macros that v4.15 defines in lines the excerpt leaves out, and one Kconfig value. Each
 * stand-in below is the smallest thing that keeps the kept code's contract.
 */

/* cpp expands PER_CPU_VAR in the macro bodies below here, before entry_64.S includes this. */
#include <asm/percpu.h>

/* Kconfig (CONFIG_X86_L1_CACHE_SHIFT): x86-64 cache lines are 64 bytes. */
#define CONFIG_X86_L1_CACHE_SHIFT 6

/*
 * ENTER_IRQ_STACK old_rsp=REG / LEAVE_IRQ_STACK, used by the `interrupt' macro and
 * ret_from_intr. Contract: on entry, remember the interrupted stack pointer in REG, move to
 * this CPU's IRQ stack unless an interrupt is already being handled (per-CPU irq_count is -1
 * when none is), and leave the old stack pointer at 0(%rsp); on leaving, go back to it and
 * count the interrupt as done. irq_stack_ptr and irq_count are per-CPU values the test sets up.
 * (v4.15's `regs' argument only feeds unwinder hints; it is accepted and ignored.)
 */
.macro ENTER_IRQ_STACK regs=1 old_rsp:req
	movq	%rsp, \old_rsp
	incl	PER_CPU_VAR(irq_count)
	jnz	.Lentrysim_irq_already_on_irq_stack_\@
	movq	PER_CPU_VAR(irq_stack_ptr), %rsp
.Lentrysim_irq_already_on_irq_stack_\@:
	pushq	\old_rsp
.endm

.macro LEAVE_IRQ_STACK regs=1
	popq	%rsp
	decl	PER_CPU_VAR(irq_count)
.endm
