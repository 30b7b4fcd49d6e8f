/* entrysim shim: 4 KiB pages. */
#ifndef _ENTRYSIM_SHIM_PAGE_TYPES_H
#define _ENTRYSIM_SHIM_PAGE_TYPES_H
#define PAGE_SHIFT 12
#define PAGE_SIZE (1 << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define THREAD_SIZE_ORDER 2
#define THREAD_SIZE (PAGE_SIZE << THREAD_SIZE_ORDER)
#endif
