/* entrysim shim: byte offsets of the x86-64 struct pt_regs fields. */
#ifndef _ENTRYSIM_SHIM_PTRACE_ABI_H
#define _ENTRYSIM_SHIM_PTRACE_ABI_H
#define R15 0
#define R14 8
#define R13 16
#define R12 24
#define RBP 32
#define RBX 40
#define R11 48
#define R10 56
#define R9 64
#define R8 72
#define RAX 80
#define RCX 88
#define RDX 96
#define RSI 104
#define RDI 112
#define ORIG_RAX 120
#define RIP 128
#define CS 136
#define EFLAGS 144
#define RSP 152
#define SS 160
#define FRAME_SIZE 168
#endif
