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
