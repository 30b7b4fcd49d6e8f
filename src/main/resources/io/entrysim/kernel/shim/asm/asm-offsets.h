/* entrysim shim: the generated asm-offsets values entrysim's per-CPU layout uses.
 * TLB_STATE_user_pcid_flush_mask is 22 as in a real x86_64 v6.6 build (v4.15's struct
 * tlb_state puts it at 14); override with -DTLB_STATE_user_pcid_flush_mask=14.
 * SIZEOF_entry_stack is 4096 as in v6.6 (struct entry_stack is a page); v4.15's is 64 words,
 * -DSIZEOF_entry_stack=512, which is also what the pti machine's TSS.sp0 assumes. */
#ifndef _ENTRYSIM_SHIM_ASM_OFFSETS_H
#define _ENTRYSIM_SHIM_ASM_OFFSETS_H
#ifndef TLB_STATE_user_pcid_flush_mask
#define TLB_STATE_user_pcid_flush_mask 22
#endif
#define TSS_ist 36
#define TSS_sp0 4
#define TSS_sp1 12
#define TSS_sp2 20
#define PTREGS_SIZE 168
#ifndef SIZEOF_entry_stack
#define SIZEOF_entry_stack 4096
#endif
#define CPU_ENTRY_AREA_entry_stack 4096
#define CPU_ENTRY_AREA_tss 8192
#define CPU_ENTRY_AREA_entry_trampoline 0x5000
#define TASK_threadsp 0x1e18
#define TASK_TI_flags 0
#endif
