/* entrysim golden case: the Nov 2017 exit switch after patch 5/6. */
#include "calling-kaiser-2017-11-29-after-5of6.h"
	.text
	SWITCH_TO_USER_CR3 scratch_reg=%rsi
	hlt
