#include "nested-chain.h"
	.text
	outer %rdi
