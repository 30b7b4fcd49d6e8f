/*
 * entrysim test wrapper around Linux v4.15 entry_64.S (entrysim's own writing, not kernel
 * text). The prelude comes first and entry_64.S keeps its real line numbers; what follows is
 * the little the tests add around it: an interrupt vector stub, a stand-in task, and user-mode
 * code (placed by the test's machine at user_text, 0x400000).
 */
#include "prelude.h"
#include "entry_64.S"

/*
 * External interrupt vector 0x20, as v4.15's irq_entries_start stubs do it: push the vector in
 * the form common_interrupt expects (~vector + 0x80, so it fits a signed byte) and go there.
 * In .entry.text, which both page-table halves map: it runs on the user CR3 at first.
 */
	.section .entry.text, "ax"
	.globl	entrysim_irq_0x20
entrysim_irq_0x20:
	pushq	$(~0x20 + 0x80)
	jmp	common_interrupt

/* The current task: the entry code only reads thread_info.flags (TASK_TI_flags, offset 0). */
	.data
	.balign	64
	.globl	entrysim_task
entrysim_task:
	.quad	0
	.fill	56, 1, 0

	.section .user.text, "ax"
/* One system call (number and arguments in registers, set by the test), then back to the caller. */
	.globl	user_syscall, user_after_syscall
user_syscall:
	syscall
user_after_syscall:
	ret

/* Plain user work for an interrupt to land in: r12 = 1 + 2 + 3. */
	.globl	user_work
user_work:
	movq	$1, %r12
	addq	$2, %r12
	addq	$3, %r12
	ret
