/*
 * entrysim sample for `entrysim equiv` (written for entrysim): the seed-era SWITCH_TO_KERNEL_CR3
 * (calling-kaiser-2017-11-29-after-5of6.h, -DCONFIG_KAISER, behind kaiser_enabled_key), as the
 * SYSCALL entry uses it. See kernel-cr3-v415.S.
 */
#include "calling-kaiser-2017-11-29-after-5of6.h"
	.section .entry.text, "ax"
	SWITCH_TO_KERNEL_CR3 scratch_reg=%rsp
	hlt
