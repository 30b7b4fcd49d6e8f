/* entrysim shim: compat system-call table bounds (v4.15 values). */
#ifndef _ENTRYSIM_SHIM_IA32_UNISTD_H
#define _ENTRYSIM_SHIM_IA32_UNISTD_H
#define __NR_syscall_compat_max 384
#define IA32_NR_syscalls (__NR_syscall_compat_max + 1)
#endif
