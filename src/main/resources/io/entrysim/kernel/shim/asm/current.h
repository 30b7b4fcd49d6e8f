/* entrysim shim: asm/current.h has nothing the assembler needs. */
