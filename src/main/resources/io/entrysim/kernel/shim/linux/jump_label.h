/* entrysim shim: always provides the asm static-branch macros (HAVE_JUMP_LABEL is assumed). */
#include <asm/jump_label.h>
