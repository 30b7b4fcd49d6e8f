/* entrysim shim: ALTERNATIVE without boot-time patching. The kernel assembles oldinstr inline
 * and lets apply_alternatives() copy newinstr over it when the CPU has the feature; entrysim
 * decides at assembly time from --feature, which is what the patched kernel runs. The strings
 * still go through normal macro expansion (they may call macros and jump to outer labels). */
#ifndef _ENTRYSIM_SHIM_ALTERNATIVE_ASM_H
#define _ENTRYSIM_SHIM_ALTERNATIVE_ASM_H

.macro ALTERNATIVE oldinstr newinstr feature
	.ifcpufeature \feature
	\newinstr
	.else
	\oldinstr
	.endif
.endm

/* feature2 wins over feature1, as apply_alternatives() patches the second entry last. */
.macro ALTERNATIVE_2 oldinstr newinstr1 feature1 newinstr2 feature2
	.ifcpufeature \feature2
	\newinstr2
	.else
	.ifcpufeature \feature1
	\newinstr1
	.else
	\oldinstr
	.endif
	.endif
.endm

#endif
