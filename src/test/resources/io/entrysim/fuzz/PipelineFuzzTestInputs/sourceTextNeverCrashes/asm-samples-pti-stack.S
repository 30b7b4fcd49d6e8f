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
