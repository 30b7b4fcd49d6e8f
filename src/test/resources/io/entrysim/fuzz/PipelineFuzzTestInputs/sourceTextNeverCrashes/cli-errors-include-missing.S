#include <asm/nonexistent.h>
	nop
