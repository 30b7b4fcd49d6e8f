/* entrysim shim: the !CONFIG_PARAVIRT spellings of the interrupt-flag and return helpers, and
 * no irq-flag tracing (lockdep/tracepoints only observe, they change no machine state). */
#ifndef _ENTRYSIM_SHIM_IRQFLAGS_H
#define _ENTRYSIM_SHIM_IRQFLAGS_H
#define INTERRUPT_RETURN jmp native_iret
#define USERGS_SYSRET64 swapgs; sysretq;
#define USERGS_SYSRET32 swapgs; sysretl
#define SWAPGS swapgs
#define SWAPGS_UNSAFE_STACK swapgs
#define DISABLE_INTERRUPTS(x) cli
#define ENABLE_INTERRUPTS(x) sti
#define TRACE_IRQS_ON
#define TRACE_IRQS_OFF
#define TRACE_IRQS_IRETQ
#define TRACE_IRQS_ON_DEBUG
#define TRACE_IRQS_OFF_DEBUG
#define TRACE_IRQS_IRETQ_DEBUG
#define LOCKDEP_SYS_EXIT
#define LOCKDEP_SYS_EXIT_IRQ
#endif
