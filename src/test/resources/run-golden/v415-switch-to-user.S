/* entrysim golden case: v4.15's exit CR3 switch, from the corpus header. */
#include "calling-v4.15.h"
	.text
	SWITCH_TO_USER_CR3_STACK	scratch_reg=%rdi
	hlt
