/*
 * entrysim sample: an NMI in the exit window. Written for entrysim.
 *
 * A miniature SYSRET exit moves to the entry stack (mapped in both page-table halves), switches
 * to the user CR3 and only then pops the user RSP, swaps GS and executes sysretq. An NMI that
 * arrives in between interrupts kernel code that runs on the user page tables -- with the
 * kernel GS before the swapgs, with the user GS after it. The NMI handler (IST 2, in
 * .entry.text so both halves map it) must not care: it saves the CR3 it interrupted, moves to
 * the kernel CR3 if that was the user one, runs the C handler there, and puts back exactly the
 * CR3 it found (honouring a user-PCID flush request, as the exit itself does).
 *
 *   bin/entrysim run asm-samples/nmi-in-exit-window.S --machine pti --feature PTI,PCID \
 *       --idt 2=nmi:2 --nmi-at 15 --dump nmi_saw_cr3 --trace
 *
 * With PTI,PCID and no flush pending, steps 15, 16 and 17 are popq %rsp, swapgs and sysretq:
 * --nmi-at 15..17 lands in the window. The CR3 writes are then the exit's user CR3, the NMI's
 * switch to the kernel CR3 and its restore of the user CR3 (all NOFLUSH); nmi_saw_cr3 holds the
 * kernel CR3 the C handler ran on, and the run ends with "return-to-user" at user_text.
 * --idt 2=broken_nmi:2 installs a handler that calls the C code without switching: fetching it
 * faults (#PF), because the user page tables do not map kernel text.
 */
#include <asm/cpufeatures.h>
#include <asm/percpu.h>
#include <asm/asm-offsets.h>
#include <asm/msr.h>

/* Per-CPU flush requests: bit N set = flush user PCID N|0x800 at the next return to user. */
#define FLUSH_REQUESTS	PER_CPU_VAR(cpu_tlbstate + TLB_STATE_user_pcid_flush_mask)

/* Kernel CR3 -> user CR3: the user half of the PGD pair (bit 12) and, with PCID, the user
 * PCID (bit 11), keeping its TLB entries (bit 63) unless a flush was requested for it. */
.macro to_user_cr3 tmp:req pcid:req
	movq	%cr3, \tmp
	ALTERNATIVE "jmp .Lpgd_\@", "", X86_FEATURE_PCID
	movq	\tmp, \pcid
	andq	$0x7ff, \pcid
	btr	\pcid, FLUSH_REQUESTS		/* take the request, if any */
	jc	.Luser_pcid_\@
	bts	$63, \tmp
.Luser_pcid_\@:
	orq	$0x800, \tmp
.Lpgd_\@:
	orq	$0x1000, \tmp
	movq	\tmp, %cr3
.endm

/* Remember the interrupted CR3 in \save; if it is a user CR3, move to its kernel twin. */
.macro enter_kernel_cr3 tmp:req save:req
	movq	%cr3, \tmp
	movq	\tmp, \save
	bt	$12, \tmp
	jnc	.Lon_kernel_cr3_\@
	ALTERNATIVE "", "bts $63, \tmp", X86_FEATURE_PCID
	andq	$~0x1800, \tmp
	movq	\tmp, %cr3
.Lon_kernel_cr3_\@:
.endm

/* Put back the CR3 saved by enter_kernel_cr3. A kernel CR3 never needs a flush; a user one does
 * when its PCID has a request pending. */
.macro leave_to_saved_cr3 tmp:req save:req
	ALTERNATIVE "jmp .Lwrite_\@", "", X86_FEATURE_PCID
	bt	$12, \save
	jnc	.Lkeep_tlb_\@
	movq	\save, \tmp
	andq	$0x7ff, \tmp
	btr	\tmp, FLUSH_REQUESTS
	jc	.Lwrite_\@
.Lkeep_tlb_\@:
	bts	$63, \save
.Lwrite_\@:
	movq	\save, %cr3
.endm

	.section .entry.text, "ax"
	.globl	exit_to_user
exit_to_user:
	movabsq	$user_text, %rcx		/* user RIP for sysretq (no code there: the run ends) */
	movq	$0x202, %r11			/* user RFLAGS: IF */
	movabsq	$(user_stack_top - 64), %rax	/* user RSP */
	movabsq	$entry_stack_top, %rsp		/* the trampoline stack: both halves map it */
	pushq	%rax
	to_user_cr3 tmp=%rdi pcid=%rsi
	/* the window: kernel code on the user page tables */
	popq	%rsp
	swapgs
	sysretq

	.globl	nmi
nmi:
	pushq	%rax
	pushq	%rcx
	pushq	%rdx
	pushq	%rbx
	pushq	%rdi
	pushq	%rsi
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r14
	/* Which GS? The kernel's per-CPU base is in the upper half, so it reads as negative. */
	xorl	%ebx, %ebx
	movl	$MSR_GS_BASE, %ecx
	rdmsr
	testl	%edx, %edx
	js	1f
	swapgs
	incl	%ebx
1:
	enter_kernel_cr3 tmp=%rax save=%r14
	call	do_nmi				/* the C handler: kernel text, kernel CR3 */
	movq	%cr3, %rax
	movq	%rax, nmi_saw_cr3
	leave_to_saved_cr3 tmp=%rax save=%r14
	testl	%ebx, %ebx
	jz	2f
	swapgs
2:
	popq	%r14
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rsi
	popq	%rdi
	popq	%rbx
	popq	%rdx
	popq	%rcx
	popq	%rax
	iretq

/* Wrong on purpose: runs the C handler on whatever CR3 it interrupted. */
	.globl	broken_nmi
broken_nmi:
	call	do_nmi
	iretq

	.data
	.globl	nmi_saw_cr3
nmi_saw_cr3:
	.quad	0

/*
 * Spec (entrysim test; kept below the code so the line numbers above stay put):
 * `entrysim test asm-samples/nmi-in-exit-window.S` runs the exit with and without a pending
 * flush, with PCID and without, and then again with an NMI before every instruction boundary:
 * the handler must run on the kernel CR3 on IST 2, give back exactly the CR3 and registers it
 * interrupted, and no requested flush may be lost.
 * ENTRYSIM-RUN[pcid]: --machine pti --feature PTI+PCID
 * ENTRYSIM-RUN[pcid]: --machine pti --feature PTI+PCID --invalidate user-pcid=1
 * ENTRYSIM-EXPECT[pcid]: cr3 == 0x1c0b801
 * ENTRYSIM-RUN[nopcid]: --machine pti --feature PTI
 * ENTRYSIM-EXPECT[nopcid]: cr3-writes == [flush 0x1c0b000]
 * ENTRYSIM-EXPECT[pcid,nopcid]: stop == return-to-user
 * ENTRYSIM-EXPECT[pcid,nopcid]: no violation
 * ENTRYSIM-EXPECT[pcid,nopcid]: rip == user_text
 * ENTRYSIM-EXPECT[pcid,nopcid]: kernel_gs_base == 0xffff88807fc00000
 * ENTRYSIM-NMI: each handler=nmi ist=2
 * The broken handler calls C code on the user page tables: it faults fetching it.
 * ENTRYSIM-RUN[broken]: --machine pti --feature PTI+PCID --idt 2=broken_nmi:2 --nmi-at 15
 * ENTRYSIM-EXPECT[broken]: fault #PF
 * ENTRYSIM-EXPECT[broken]: cr3 == 0x1c0b801
 *
 * Single NMIs at chosen steps (worked out from the code: with PTI,PCID and nothing pending,
 * steps 1-5 set up and push the user RSP, 6-14 are to_user_cr3, 15-17 popq %rsp, swapgs,
 * sysretq; kernel CR3 0x1c0a001, its user twin 0x1c0b801). In the window the C handler runs on
 * the kernel CR3 and the user CR3 comes back exactly:
 * ENTRYSIM-RUN[window]: --machine pti --feature PTI+PCID --idt 2=nmi:2 --nmi-at {15,16,17}
 * ENTRYSIM-EXPECT[window]: cr3-writes == [noflush 0x1c0b801, noflush 0x1c0a001, noflush 0x1c0b801]
 * ENTRYSIM-EXPECT[window]: mem64 nmi_saw_cr3 == 0x1c0a001
 * ENTRYSIM-EXPECT[window]: rsp == 0x7fffffffefc0
 * Before the window the NMI finds the kernel CR3: no switch, restored with NOFLUSH:
 * ENTRYSIM-RUN[before]: --machine pti --feature PTI+PCID --idt 2=nmi:2 --nmi-at 14
 * ENTRYSIM-EXPECT[before]: cr3-writes == [noflush 0x1c0a001, noflush 0x1c0b801]
 * A consumed flush is not lost (the flush path is a step shorter: the window is 14-16):
 * ENTRYSIM-RUN[consumed]: --machine pti --feature PTI+PCID --idt 2=nmi:2 --nmi-at 14 \
 *     --invalidate user-pcid=1 --exit-to-user
 * ENTRYSIM-EXPECT[consumed]: cr3-writes == [flush 0x1c0b801, noflush 0x1c0a001, noflush 0x1c0b801]
 * ENTRYSIM-EXPECT[window,before,consumed]: cr3 == 0x1c0b801
 * Without PCID every write flushes (to_user_cr3 is steps 6-9; popq %rsp is step 10):
 * ENTRYSIM-RUN[window-nopcid]: --machine pti --feature PTI --idt 2=nmi:2 --nmi-at 10
 * ENTRYSIM-EXPECT[window-nopcid]: cr3-writes == [flush 0x1c0b000, flush 0x1c0a000, flush 0x1c0b000]
 * ENTRYSIM-EXPECT[window-nopcid]: mem64 nmi_saw_cr3 == 0x1c0a000
 * ENTRYSIM-EXPECT[window,before,consumed,window-nopcid]: stop == return-to-user
 * ENTRYSIM-EXPECT[window,before,consumed,window-nopcid]: no violation
 * ENTRYSIM-EXPECT[window,before,consumed,window-nopcid]: rip == user_text
 * ENTRYSIM-EXPECT[window,before,consumed,window-nopcid]: kernel_gs_base == 0xffff88807fc00000
 */
