/* entrysim shim: asm/hw_irq.h has nothing the assembler needs. */
