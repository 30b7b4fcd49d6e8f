/* entrysim golden case: the Nov 2017 exit switch before patch 4/6, no PCID. */
#include "calling-kaiser-2017-11-29-before-4of6.h"
	.text
	SWITCH_TO_USER_CR3 scratch_reg=%rsi
	hlt
