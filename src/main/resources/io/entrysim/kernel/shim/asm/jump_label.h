/* entrysim shim: static branches without run-time patching. The kernel emits a 5-byte NOP or a
 * jmp (chosen by def) and rewrites the site when the key changes; entrysim decides at assembly
 * time from --static-key KEY=0|1, and falls back to def (the image before jump_label_init) when
 * the key is not given. */
#ifndef _ENTRYSIM_SHIM_JUMP_LABEL_H
#define _ENTRYSIM_SHIM_JUMP_LABEL_H

#define JUMP_LABEL_NOP_SIZE 5

.macro STATIC_JUMP_IF_TRUE target key def
	.ifstatickey \key, \def
	jmp	\target
	.endif
.endm

.macro STATIC_JUMP_IF_FALSE target key def
	.ifstatickey \key, \def
	.else
	jmp	\target
	.endif
.endm

#endif
