/* entrysim shim: 64-byte cache lines. */
#ifndef _ENTRYSIM_SHIM_CACHE_H
#define _ENTRYSIM_SHIM_CACHE_H
#define L1_CACHE_SHIFT 6
#define L1_CACHE_BYTES (1 << L1_CACHE_SHIFT)
#endif
