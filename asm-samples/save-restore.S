/*
 * entrysim sample: a paranoid entry (NMI-like) that may arrive on either CR3 saves it, runs on
 * the kernel CR3, and puts back exactly what it interrupted. Written for entrysim.
 *
 *   bin/entrysim run asm-samples/save-restore.S --feature PTI,PCID --set cr3=0x1c0b801
 */
#include <asm/cpufeatures.h>
#include <asm/percpu.h>
#include <asm/asm-offsets.h>

.macro save_and_enter tmp:req save:req
	ALTERNATIVE "jmp .Lkept_\@", "", X86_FEATURE_PTI
	movq	%cr3, \tmp
	movq	\tmp, \save
	bt	$12, \tmp		/* on the user half of the PGD pair? */
	jnc	.Lkept_\@
	ALTERNATIVE "", "bts $63, \tmp", X86_FEATURE_PCID
	andq	$(~0x1800), \tmp
	movq	\tmp, %cr3
.Lkept_\@:
.endm

.macro restore tmp:req save:req
	ALTERNATIVE "jmp .Lrestored_\@", "", X86_FEATURE_PTI
	ALTERNATIVE "jmp .Lwrite_\@", "", X86_FEATURE_PCID
	bt	$12, \save
	jnc	.Lnoflush_\@
	movq	\save, \tmp
	andq	$0x7ff, \tmp
	btr	\tmp, PER_CPU_VAR(cpu_tlbstate + TLB_STATE_user_pcid_flush_mask)
	jc	.Lwrite_\@
.Lnoflush_\@:
	bts	$63, \save
.Lwrite_\@:
	movq	\save, %cr3
.Lrestored_\@:
.endm

	.section .entry.text, "ax"
	.globl	paranoid
paranoid:
	save_and_enter tmp=%rax save=%r14
	call	handler
	restore tmp=%rbx save=%r14
	hlt

handler:
	movq	%cr3, %rcx		/* the handler sees the kernel CR3 */
	ret

/*
 * Spec (entrysim test; kept below the code so the line numbers above stay put):
 * Interrupting the user CR3: the handler sees the kernel twin, and the user CR3 comes back
 * exactly, flushing only when its PCID has a request pending (mask bit 1).
 * ENTRYSIM-RUN[user]: --feature PTI+PCID --set cr3=0x1c0b801 --mem %gs:cpu_tlbstate+TLB_STATE_user_pcid_flush_mask=0:2
 * ENTRYSIM-EXPECT[user]: cr3-writes == [noflush 0x1c0a001, noflush 0x1c0b801]
 * ENTRYSIM-RUN[user-flush]: --feature PTI+PCID --set cr3=0x1c0b801 --mem %gs:cpu_tlbstate+TLB_STATE_user_pcid_flush_mask=0x2:2
 * ENTRYSIM-EXPECT[user-flush]: cr3-writes == [noflush 0x1c0a001, flush 0x1c0b801]
 * ENTRYSIM-EXPECT[user,user-flush]: rcx == 0x1c0a001
 * ENTRYSIM-EXPECT[user,user-flush]: cr3 == 0x1c0b801
 * Interrupting the kernel CR3: no switch, and it comes back without a flush.
 * ENTRYSIM-RUN[kernel]: --feature PTI+PCID --set cr3=0x1c0a001
 * ENTRYSIM-EXPECT[kernel]: cr3-writes == [noflush 0x1c0a001]
 * ENTRYSIM-EXPECT[kernel]: cr3 == 0x1c0a001
 * ENTRYSIM-EXPECT: mem16 %gs:cpu_tlbstate+TLB_STATE_user_pcid_flush_mask == 0
 * ENTRYSIM-EXPECT: stop == hlt
 * ENTRYSIM-EXPECT: no violation
 * ENTRYSIM-EXPECT: stack balanced
 */
