/*
 * The cold pipeline's ALTERNATIVE for GNU as (bench/compare/pipeline.sh puts this directory before
 * entrysim's shims). entrysim's shim decides with its own .ifcpufeature, which as does not know;
 * here the features on are the cpp macros BENCH_FEATURE_A and BENCH_FEATURE_B (feature numbers,
 * -1 for none), and the choice is an .if on the macro's argument.
 */
#ifndef _BENCH_GAS_ALTERNATIVE_ASM_H
#define _BENCH_GAS_ALTERNATIVE_ASM_H

#ifndef BENCH_FEATURE_A
#define BENCH_FEATURE_A (-1)
#endif
#ifndef BENCH_FEATURE_B
#define BENCH_FEATURE_B (-1)
#endif

.macro ALTERNATIVE oldinstr newinstr feature
	.if ((\feature) == BENCH_FEATURE_A) || ((\feature) == BENCH_FEATURE_B)
	\newinstr
	.else
	\oldinstr
	.endif
.endm

#endif
