/* entrysim shim: v5+ kernels define the asm ALTERNATIVE macros in asm/alternative.h. */
#include <asm/alternative-asm.h>
