/* entrysim shim: thread_info flag bits the entry code tests (v4.15 numbering). With these the
 * "work pending" tests read task flags from memory, which a run can set with --mem. */
#ifndef _ENTRYSIM_SHIM_THREAD_INFO_H
#define _ENTRYSIM_SHIM_THREAD_INFO_H
#define TIF_SYSCALL_TRACE 0
#define TIF_NOTIFY_RESUME 1
#define TIF_SIGPENDING 2
#define TIF_NEED_RESCHED 3
#define TIF_SINGLESTEP 4
#define TIF_SYSCALL_EMU 6
#define TIF_SYSCALL_AUDIT 7
#define TIF_SECCOMP 8
#define TIF_USER_RETURN_NOTIFY 11
#define TIF_UPROBE 12
#define TIF_NOHZ 19
#define TIF_SYSCALL_TRACEPOINT 28
#define _TIF_WORK_SYSCALL_ENTRY ((1 << TIF_SYSCALL_TRACE) | (1 << TIF_SYSCALL_EMU) | (1 << TIF_SYSCALL_AUDIT) | \
	(1 << TIF_SECCOMP) | (1 << TIF_SINGLESTEP) | (1 << TIF_SYSCALL_TRACEPOINT) | (1 << TIF_NOHZ))
#define _TIF_ALLWORK_MASK ((0xffff & ~(1 << 5)) | (1 << TIF_SYSCALL_TRACEPOINT) | (1 << TIF_NOHZ))

/* v4.15 x86-64 keeps the task's top of stack in the TSS (sp1) and asm reaches it under this
 * per-CPU name; on the pti machine that is TSS.sp1 = kernel_stack_top. (4.9 had a per-CPU
 * variable of its own by this name; later kernels moved it into pcpu_hot.) */
#ifdef CONFIG_X86_64
#include <asm/asm-offsets.h>
#define cpu_current_top_of_stack (cpu_tss_rw + TSS_sp1)
#endif
#endif
