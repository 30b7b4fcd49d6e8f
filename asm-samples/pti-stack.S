/*
 * entrysim sample: "Do we have a good stack in all the spots that we need to do this?"
 * Run on the PTI machine, where the task's kernel stack is mapped only in the kernel page
 * tables. Written for entrysim.
 *
 *   bin/entrysim run asm-samples/pti-stack.S --machine pti --feature PTI --entry broken
 *       -> #PF on the push: after the switch the kernel stack is not mapped
 *   bin/entrysim run asm-samples/pti-stack.S --machine pti --feature PTI --entry correct
 *       -> runs clean: the stack is only used while the kernel CR3 is in force
 */
#include <asm/cpufeatures.h>

.macro to_user_pgd tmp:req
	ALTERNATIVE "jmp .Lskip_\@", "", X86_FEATURE_PTI
	movq	%cr3, \tmp
	orq	$(1 << 12), \tmp	/* upper half of the 8 KiB PGD pair */
	movq	\tmp, %cr3
.Lskip_\@:
.endm

	.section .entry.text, "ax"
	.globl	broken
broken:
	to_user_pgd tmp=%rdi
	pushq	%rax			/* too late: the task stack is kernel-only */
	popq	%rax
	hlt

	.globl	correct
correct:
	pushq	%rax
	movq	$42, %rax		/* work that needs a scratch register */
	popq	%rax
	to_user_pgd tmp=%rdi		/* the last thing before returning */
	hlt

/* An NMI handler that may find either CR3: it does its work on the kernel half and gives back
 * exactly the CR3 it interrupted. Its pushes go to its IST stack, mapped in both halves, as is
 * its code (.irqentry.text). */
	.section .irqentry.text, "ax"
	.globl	nmi
nmi:
	pushq	%rax
	pushq	%rdi
	movq	%cr3, %rax
	movq	%rax, %rdi		/* the interrupted CR3 */
	andq	$~(1 << 12), %rax	/* its kernel half */
	movq	%rax, %cr3
	movq	%rsp, %rax		/* (the C handler would run here) */
	movq	%rdi, %cr3
	popq	%rdi
	popq	%rax
	iretq

/*
 * Spec (entrysim test; kept below the code so the line numbers above stay put):
 * `entrysim test asm-samples/pti-stack.S` checks both, and adds an NMI before every instruction
 * boundary: the CPU's own pushes of the NMI frame and the handler's pushes, on IST 2 in the
 * cpu_entry_area, are valid whatever CR3 the NMI finds -- the user one included (before the
 * final hlt of `correct', and after the switch in `broken').
 * ENTRYSIM-RUN[broken]: --machine pti --feature PTI --entry broken
 * ENTRYSIM-EXPECT[broken]: fault #PF at pti-stack.S:25
 * ENTRYSIM-RUN[correct]: --machine pti --feature {PTI,} --entry correct
 * ENTRYSIM-EXPECT[correct]: stop == hlt
 * ENTRYSIM-EXPECT[correct]: unchanged rax
 * ENTRYSIM-EXPECT[correct]: stack balanced
 * ENTRYSIM-NMI: each handler=nmi ist=2
 */
