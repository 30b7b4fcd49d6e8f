/*
 * entrysim sample for `entrysim equiv` (written for entrysim): v4.15's SWITCH_TO_KERNEL_CR3, from
 * the kernel corpus's calling-v4.15.h, as the SYSCALL entry uses it. Compare with
 * kernel-cr3-seed.S (the seed-era KAISER macro):
 *
 *   bin/entrysim equiv asm-samples/equiv/kernel-cr3-v415.S asm-samples/equiv/kernel-cr3-seed.S \
 *       -I ../shared/corpus/kernel -DCONFIG_PAGE_TABLE_ISOLATION -DCONFIG_KAISER \
 *       --over 'feature in {PTI+PCID,PTI}' --over 'cr3 in 0x1c0a000..0x1c0bfff'
 */
#include "calling-v4.15.h"
	.section .entry.text, "ax"
	SWITCH_TO_KERNEL_CR3 scratch_reg=%rsp
	hlt
