/* entrysim shim: the 2017 KAISER patches and 4.9.y take their CR3 bit names from here. */
#ifndef _ENTRYSIM_SHIM_PGTABLE_TYPES_H
#define _ENTRYSIM_SHIM_PGTABLE_TYPES_H
#ifdef CONFIG_KAISER
#define X86_CR3_KAISER_SWITCH_BIT 11
#endif
#define X86_CR3_PCID_ASID_MASK ((1 << 12) - 1)
#define X86_CR3_PCID_ASID_USER 0x80
#endif
