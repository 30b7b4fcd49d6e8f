package io.entrysim.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class CpuTest {
    private static final long BASE = 0x1_2345_6000L;

    @Test
    void rflagsBit1AlwaysReadsOneAndReservedBitsZero() {
        Cpu c = new Cpu();
        assertEquals(Flags.FIXED1, c.rflags());
        c.setRflags(0);
        assertEquals(Flags.FIXED1, c.rflags());
        c.setRflags(-1L);
        assertEquals(Flags.DEFINED | Flags.FIXED1, c.rflags());
        assertEquals(0x3F_7FD7L, c.rflags());
    }

    @Test
    void cr3WriteWithPcideHonoursTheNoflushBit() {
        Cpu c = new Cpu();
        c.setCr4(c.cr4() | Cpu.CR4_PCIDE);
        c.writeCr3(BASE | 0x801 | Cpu.CR3_NOFLUSH);
        c.writeCr3(BASE | 0x001);
        assertEquals(BASE | 1, c.cr3());
        assertEquals(List.of(
            new Cr3Write(BASE | 0x801 | Cpu.CR3_NOFLUSH, true, BASE | 0x801),
            new Cr3Write(BASE | 1, false, BASE | 1)), c.cr3Writes());
        assertEquals(0x801, c.cr3Writes().get(0).pcid());
    }

    @Test
    void cr3Bit63WithoutPcideFaultsPerSdmOrIsIgnoredByChoice() {
        Cpu sdm = new Cpu();
        CpuFault f = assertThrows(CpuFault.class, () -> sdm.writeCr3(BASE | Cpu.CR3_NOFLUSH));
        assertEquals("#GP", f.vector());
        assertEquals(0, sdm.cr3Writes().size());

        Cpu lenient = new Cpu(new Memory(), new CpuModel(false, 52));
        lenient.writeCr3(BASE | 0x800 | Cpu.CR3_NOFLUSH);
        assertEquals(BASE | 0x800, lenient.cr3());
        assertEquals(List.of(new Cr3Write(BASE | 0x800 | Cpu.CR3_NOFLUSH, false, BASE | 0x800)), lenient.cr3Writes());

        Cpu plain = new Cpu();
        plain.writeCr3(BASE | 0x1800);
        assertEquals(List.of(new Cr3Write(BASE | 0x1800, false, BASE | 0x1800)), plain.cr3Writes());
    }

    @Test
    void cr3BitsAboveMaxphyaddrAreReserved() {
        Cpu c = new Cpu(new Memory(), new CpuModel(true, 46));
        assertThrows(CpuFault.class, () -> c.writeCr3(1L << 46));
        c.writeCr3((1L << 46) - 0x1000);
        Cpu wide = new Cpu();
        assertThrows(CpuFault.class, () -> wide.writeCr3(1L << 62));
        wide.writeCr3(1L << 51);
    }

    @Test
    void setCr3IsStateNotAnInstruction() {
        Cpu c = new Cpu();
        c.setCr3(BASE | Cpu.CR3_NOFLUSH);
        assertEquals(BASE, c.cr3());
        assertEquals(List.of(), c.cr3Writes());
    }

    @Test
    void controlRegisterAccessChecks() {
        Cpu c = new Cpu();
        assertEquals("#UD", assertThrows(CpuFault.class, () -> c.readCr(5)).vector());
        c.setCs(Cpu.USER_CS);
        assertEquals(3, c.cpl());
        assertEquals("#GP", assertThrows(CpuFault.class, () -> c.readCr(3)).vector());
        assertEquals("#GP", assertThrows(CpuFault.class, () -> c.writeCr(3, BASE)).vector());
        c.setCs(Cpu.KERNEL_CS);
        assertEquals("#GP", assertThrows(CpuFault.class, () -> c.writeCr(0, Cpu.CR0_PE)).vector(), "clearing PG");
        assertEquals("#GP", assertThrows(CpuFault.class, () -> c.writeCr(4, 0)).vector(), "clearing PAE");
        c.writeCr(0, Cpu.DEFAULT_CR0);
        c.writeCr(3, BASE | 7);
        assertEquals("#GP", assertThrows(CpuFault.class, () -> c.writeCr(4, Cpu.CR4_PAE | Cpu.CR4_PCIDE)).vector());
        c.writeCr(3, BASE);
        c.writeCr(4, Cpu.CR4_PAE | Cpu.CR4_PCIDE);
        assertEquals(Cpu.CR4_PAE | Cpu.CR4_PCIDE, c.readCr(4));
    }

    @Test
    void snapshotRoundTripRestoresEverythingIncludingMemoryAndTheCr3Log() {
        Cpu c = new Cpu();
        c.setCr4(c.cr4() | Cpu.CR4_PCIDE);
        for (int i = 0; i < Reg.COUNT; i++) {
            c.setReg(i, i * 0x1111L);
        }
        c.setRip(0x40_1000);
        c.setRflags(Flags.CF | Flags.IF);
        c.setUndefinedFlags(Flags.AF);
        c.setGsBase(1);
        c.setKernelGsBase(2);
        c.setFsBase(3);
        c.setCr2(4);
        c.setCr8(5);
        c.setCs(Cpu.USER_CS);
        c.setSs(Cpu.USER_SS);
        c.writeCr3(BASE | 1);
        c.memory().write(0x1000, 8, 0xAB);
        CpuSnapshot s = c.snapshot();

        for (int i = 0; i < Reg.COUNT; i++) {
            c.setReg(i, -1);
        }
        c.setRip(0);
        c.setRflags(0);
        c.setUndefinedFlags(0);
        c.setGsBase(0);
        c.setKernelGsBase(0);
        c.setFsBase(0);
        c.setCr2(0);
        c.setCr8(0);
        c.setCs(Cpu.KERNEL_CS);
        c.setSs(Cpu.KERNEL_SS);
        c.writeCr3(BASE | 2 | Cpu.CR3_NOFLUSH);
        c.writeCr3(BASE | 3);
        c.setCr4(Cpu.CR4_PAE);
        c.memory().write(0x1000, 8, 0xCD);
        c.memory().write(0x2000, 8, 0xEF);

        c.restore(s);
        for (int i = 0; i < Reg.COUNT; i++) {
            assertEquals(i * 0x1111L, c.reg(i));
        }
        assertEquals(0x40_1000, c.rip());
        assertEquals(Flags.FIXED1 | Flags.CF | Flags.IF, c.rflags());
        assertEquals(Flags.AF, c.undefinedFlags());
        assertEquals(1, c.gsBase());
        assertEquals(2, c.kernelGsBase());
        assertEquals(3, c.fsBase());
        assertEquals(4, c.cr2());
        assertEquals(5, c.cr8());
        assertEquals(Cpu.USER_CS, c.cs());
        assertEquals(Cpu.USER_SS, c.ss());
        assertEquals(Cpu.CR4_PAE | Cpu.CR4_PCIDE, c.cr4());
        assertEquals(BASE | 1, c.cr3());
        assertEquals(List.of(new Cr3Write(BASE | 1, false, BASE | 1)), c.cr3Writes());
        assertEquals(0xAB, c.memory().read(0x1000, 8));
        assertEquals(0, c.memory().read(0x2000, 8));
        assertEquals(1, c.memory().writeCount());

        // A snapshot taken before a shorter log is restorable after it (the log is persistent).
        c.writeCr3(BASE | 9);
        CpuSnapshot longer = c.snapshot();
        c.restore(s);
        c.restore(longer);
        assertEquals(2, c.cr3Writes().size());
        assertEquals(BASE | 9, c.cr3Writes().get(1).stored());
    }

    @Test
    void snapshotIsImmutable() {
        Cpu c = new Cpu();
        c.setReg(Reg.RAX, 7);
        CpuSnapshot s = c.snapshot();
        s.gprs()[Reg.RAX] = 99;
        c.setReg(Reg.RAX, 8);
        assertEquals(7, s.gpr(Reg.RAX));
        c.restore(s);
        assertEquals(7, c.reg(Reg.RAX));
    }

    @Test
    void flagNames() {
        assertEquals("CF ZF OF", Flags.names(Flags.CF | Flags.ZF | Flags.OF));
        assertEquals("IF IOPL=3", Flags.names(Flags.IF | Flags.IOPL));
        assertEquals("", Flags.names(0));
    }
}
