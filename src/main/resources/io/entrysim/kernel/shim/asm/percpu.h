/* entrysim shim: SMP x86-64 per-CPU addressing. Per-CPU symbols are offsets into the per-CPU
 * area that GS.base points at; entrysim allocates the ones a snippet uses (run output lists them). */
#ifndef _ENTRYSIM_SHIM_PERCPU_H
#define _ENTRYSIM_SHIM_PERCPU_H
#define __percpu_seg gs
#define PER_CPU_VAR(var) %__percpu_seg:var
#define INIT_PER_CPU_VAR(var) init_per_cpu__##var
#endif
