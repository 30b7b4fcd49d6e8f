/* entrysim golden case: v4.15's paranoid save/switch then restore. */
#include "calling-v4.15.h"
	.text
	SAVE_AND_SWITCH_TO_KERNEL_CR3	scratch_reg=%rax	save_reg=%r14
	nop
	RESTORE_CR3 scratch_reg=%rax save_reg=%r14
	hlt
