/* entrysim shim: the x86-64 GDT selectors Linux uses (GDT index * 8, | 3 for user). */
#ifndef _ENTRYSIM_SHIM_SEGMENT_H
#define _ENTRYSIM_SHIM_SEGMENT_H
#define __KERNEL32_CS 0x08
#define __KERNEL_CS 0x10
#define __KERNEL_DS 0x18
#define __USER32_CS 0x23
#define __USER_DS 0x2b
#define __USER32_DS __USER_DS
#define __USER_CS 0x33
#endif
