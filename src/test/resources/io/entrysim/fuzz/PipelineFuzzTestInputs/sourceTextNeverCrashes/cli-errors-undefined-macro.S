#include <asm/cpufeatures.h>
	SWITCH_TO_USER_CR3_STAK scratch_reg=%rdi
