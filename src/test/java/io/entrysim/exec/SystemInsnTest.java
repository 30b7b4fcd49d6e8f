package io.entrysim.exec;

import static io.entrysim.exec.TestAsm.cr;
import static io.entrysim.exec.TestAsm.imm;
import static io.entrysim.exec.TestAsm.r64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.assemble.Op;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Cr3Write;
import io.entrysim.cpu.Flags;
import io.entrysim.cpu.Reg;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MOV to/from CRn, SWAPGS, HLT, CLAC/STAC, CLD/STD/CLC/STC/CMC, privilege checks. */
class SystemInsnTest {
    private static final long KERNEL_CR3 = 0x1_2345_6000L;

    @Test
    void switchToUserCr3WithPcidAndNoflush() {
        Cpu c = Fixture.cpu();
        c.setCr4(c.cr4() | Cpu.CR4_PCIDE);
        c.setCr3(KERNEL_CR3 | 5);
        // mov %cr3,%rdi; or $0x1800,%rdi (user PGD + user PCID); bts $63,%rdi; mov %rdi,%cr3
        Fixture.runToEnd(c, new TestAsm()
            .op(Op.MOV, 8, cr(3), r64(Reg.RDI))
            .op(Op.OR, 8, imm(0x1800), r64(Reg.RDI))
            .op(Op.BTS, 8, imm(63), r64(Reg.RDI))
            .op(Op.MOV, 8, r64(Reg.RDI), cr(3))
            .op(Op.MOV, 8, cr(3), r64(Reg.RSI)));
        long written = (KERNEL_CR3 | 0x1805) | (1L << 63);
        assertEquals(List.of(new Cr3Write(written, true, KERNEL_CR3 | 0x1805)), c.cr3Writes());
        assertEquals(KERNEL_CR3 | 0x1805, c.cr3());
        assertEquals(KERNEL_CR3 | 0x1805, c.reg(Reg.RSI), "CR3[63] always reads 0");
        assertEquals(Flags.STATUS, c.undefinedFlags(), "MOV CR leaves all status flags undefined");
    }

    @Test
    void flushingWriteWithPcid() {
        Cpu c = Fixture.cpu();
        c.setCr4(c.cr4() | Cpu.CR4_PCIDE);
        c.setReg(Reg.RAX, KERNEL_CR3 | 1);
        Fixture.runToEnd(c, new TestAsm().op(Op.MOV, 8, r64(Reg.RAX), cr(3)));
        assertEquals(List.of(new Cr3Write(KERNEL_CR3 | 1, false, KERNEL_CR3 | 1)), c.cr3Writes());
    }

    /** As gas refuses `mov %eax,%cr3`, the executor refuses the decoded form: #UD, nothing written. */
    @Test
    void controlRegisterMovesWithA32BitRegisterAreUndefined() {
        Cpu c = Fixture.cpu();
        c.setCr3(KERNEL_CR3);
        c.setReg(Reg.RAX, 0x7000);
        RunResult r = Fixture.run(c, new TestAsm().op(Op.MOV, 4, TestAsm.r32(Reg.RAX), cr(3)));
        assertEquals(StopReason.FAULT, r.stop());
        assertEquals("#UD", r.fault().vector());
        assertTrue(r.fault().getMessage().contains("cannot execute"), r.fault().getMessage());
        assertEquals(KERNEL_CR3, c.cr3());
        assertEquals(List.of(), c.cr3Writes());
        c.setReg(Reg.RBX, 0x1234);
        r = Fixture.run(c, new TestAsm().op(Op.MOV, 8, cr(3), TestAsm.r32(Reg.RBX)));
        assertEquals("#UD", r.fault().vector());
        assertEquals(0x1234, c.reg(Reg.RBX));
    }

    @Test
    void bit63WithoutPcideIsAGeneralProtectionFaultAndChangesNothing() {
        Cpu c = Fixture.cpu();
        c.setCr3(KERNEL_CR3);
        c.setReg(Reg.RAX, KERNEL_CR3 | 0x1000 | (1L << 63));
        c.setRflags(Flags.CF);
        RunResult r = Fixture.run(c, new TestAsm().op(Op.MOV, 8, r64(Reg.RAX), cr(3)));
        assertEquals(StopReason.FAULT, r.stop());
        assertEquals("#GP", r.fault().vector());
        assertEquals(0, r.fault().errorCode());
        assertEquals(KERNEL_CR3, c.cr3());
        assertEquals(List.of(), c.cr3Writes());
        assertEquals(0, c.undefinedFlags());
        assertEquals(Flags.FIXED1 | Flags.CF, c.rflags());
    }

    @Test
    void controlRegistersArePrivileged() {
        Cpu c = Fixture.cpu();
        c.setCs(Cpu.USER_CS);
        for (TestAsm asm : List.of(
                new TestAsm().op(Op.MOV, 8, cr(3), r64(Reg.RAX)),
                new TestAsm().op(Op.MOV, 8, r64(Reg.RAX), cr(3)),
                new TestAsm().op(Op.SWAPGS, 8),
                new TestAsm().op(Op.HLT, 8))) {
            RunResult r = Fixture.run(c, asm);
            assertEquals("#GP", r.fault().vector(), asm.build().code()[0].text);
        }
        RunResult r = Fixture.run(c, new TestAsm().op(Op.STAC, 8));
        assertEquals("#UD", r.fault().vector(), "STAC at CPL > 0");
    }

    @Test
    void otherControlRegisters() {
        Cpu c = Fixture.cpu();
        c.setReg(Reg.RAX, c.cr4() | Cpu.CR4_PCIDE | Cpu.CR4_FSGSBASE);
        c.setReg(Reg.RBX, 0xF);
        Fixture.runToEnd(c, new TestAsm()
            .op(Op.MOV, 8, r64(Reg.RAX), cr(4))
            .op(Op.MOV, 8, r64(Reg.RBX), cr(8))
            .op(Op.MOV, 8, cr(0), r64(Reg.RCX))
            .op(Op.MOV, 8, r64(Reg.RBX), cr(2))
            .op(Op.MOV, 8, cr(2), r64(Reg.RDX)));
        assertEquals(c.reg(Reg.RAX), c.cr4());
        assertEquals(0xF, c.cr8());
        assertEquals(Cpu.DEFAULT_CR0, c.reg(Reg.RCX));
        assertEquals(0xF, c.reg(Reg.RDX));

        c.setReg(Reg.RBX, 0x10);
        RunResult r = Fixture.run(c, new TestAsm().op(Op.MOV, 8, r64(Reg.RBX), cr(8)));
        assertEquals("#GP", r.fault().vector());
    }

    @Test
    void settingPcideNeedsPcidZero() {
        Cpu c = Fixture.cpu();
        c.setCr3(KERNEL_CR3 | 0x800);
        c.setReg(Reg.RAX, c.cr4() | Cpu.CR4_PCIDE);
        RunResult r = Fixture.run(c, new TestAsm().op(Op.MOV, 8, r64(Reg.RAX), cr(4)));
        assertEquals("#GP", r.fault().vector());
        assertTrue(r.fault().detail().contains("CR3[11:0]"), r.fault().detail());
    }

    @Test
    void swapgsExchangesTheBases() {
        Cpu c = Fixture.cpu();
        c.setGsBase(0x1111);
        c.setKernelGsBase(0x2222);
        Fixture.runToEnd(c, new TestAsm().op(Op.SWAPGS, 8));
        assertEquals(0x2222, c.gsBase());
        assertEquals(0x1111, c.kernelGsBase());
    }

    @Test
    void flagInstructions() {
        Cpu c = Fixture.cpu();
        c.setRflags(Flags.DF);
        c.setUndefinedFlags(Flags.CF | Flags.OF);
        Fixture.runToEnd(c, new TestAsm().op(Op.CLD, 8).op(Op.STC, 8).op(Op.STAC, 8));
        assertEquals(Flags.FIXED1 | Flags.CF | Flags.AC, c.rflags());
        assertEquals(Flags.OF, c.undefinedFlags(), "STC defines CF");
        Fixture.runToEnd(c, new TestAsm().op(Op.CMC, 8).op(Op.STD, 8).op(Op.CLAC, 8));
        assertEquals(Flags.FIXED1 | Flags.DF, c.rflags());
        Fixture.runToEnd(c, new TestAsm().op(Op.CMC, 8).op(Op.CLC, 8).op(Op.LFENCE, 8).op(Op.MFENCE, 8).op(Op.SFENCE, 8).op(Op.NOP, 8));
        assertEquals(Flags.FIXED1 | Flags.DF, c.rflags());
    }

    /** verw sets ZF for a writable data segment usable at CPL and RPL, clears it otherwise, changes nothing else. */
    @Test
    void verwChecksTheSelectorAgainstTheModelledGdt() {
        int[][] cases = {{0x18, 1}, {0x2b, 1}, {0x28, 1}, {0x1b, 0}, {0x10, 0}, {0x33, 0}, {0, 0}, {0x1c, 0}, {0x400, 0}, {0x7b, 0}, {0x63, 0}};
        for (int[] k : cases) {
            Cpu c = Fixture.cpu();
            c.setReg(Reg.RAX, 0xffff_0000L | k[0]);
            c.setRflags(Flags.CF | (k[1] == 0 ? Flags.ZF : 0));
            Fixture.runToEnd(c, new TestAsm().op(Op.VERW, 2, TestAsm.r16(Reg.RAX)));
            assertEquals(Flags.FIXED1 | Flags.CF | (k[1] == 1 ? Flags.ZF : 0), c.rflags(), Integer.toHexString(k[0]));
        }
        // from memory: the word at the address, as `verw mds_verw_sel(%rip)` reads __KERNEL_DS
        Cpu c = Fixture.cpu();
        c.memory().poke(0x9000, 2, 0x18);
        Fixture.runToEnd(c, new TestAsm().op(Op.VERW, 2, TestAsm.abs(0x9000)));
        assertEquals(Flags.FIXED1 | Flags.ZF, c.rflags());
    }

    @Test
    void verwOfAKernelSelectorAtCpl3ClearsZf() {
        Cpu c = Fixture.cpu();
        c.setCs(Cpu.USER_CS);
        c.setReg(Reg.RAX, 0x18);
        c.setRflags(Flags.ZF);
        RunResult r = Fixture.run(c, new TestAsm().op(Op.VERW, 2, TestAsm.r16(Reg.RAX)));
        assertEquals(Flags.FIXED1, c.rflags() & ~Flags.IF, r.toString());
    }

    @Test
    void verwFromAnUnreadableWordFaultsWithoutChangingZf() {
        Cpu c = Fixture.cpu();
        c.setRflags(Flags.ZF);
        c.memory().setAccessChecker((address, size, kind) -> {
            throw io.entrysim.cpu.CpuFault.pageFault(address, 0, "not present");
        });
        RunResult r = Fixture.run(c, new TestAsm().op(Op.VERW, 2, TestAsm.abs(0x9000)));
        assertEquals(StopReason.FAULT, r.stop());
        assertEquals("#PF", r.fault().vector());
        assertEquals(Flags.FIXED1 | Flags.ZF, c.rflags());
    }

    /** lsl: the byte limit of a usable selector, ZF=1; CPUNODE's limit is TSC_AUX (the RDPID fallback). */
    @Test
    void lslReadsTheLimitOrLeavesTheDestination() {
        Cpu c = Fixture.cpu();
        c.setMsr(io.entrysim.cpu.Msr.TSC_AUX, 0x1003);
        c.setReg(Reg.RAX, 0xaaaa_bbbb_0000_0000L | io.entrysim.cpu.Segments.CPUNODE_SEG);
        c.setReg(Reg.RBX, 0x18);
        c.setReg(Reg.RCX, 0x5555_0000_0000_0000L); // null selector: RCX stays
        c.setReg(Reg.RDX, 0x1234_0000_0000_0010L);
        Fixture.runToEnd(c, new TestAsm()
            .op(Op.LSL, 4, TestAsm.r32(Reg.RAX), TestAsm.r32(Reg.RAX))
            .op(Op.LSL, 8, TestAsm.r16(Reg.RBX), r64(Reg.RBX))
            .op(Op.LSL, 2, TestAsm.r16(Reg.RDX), TestAsm.r16(Reg.RDX))
            .op(Op.LSL, 8, r64(Reg.RCX), r64(Reg.RCX)));
        assertEquals(0x1003, c.reg(Reg.RAX));
        assertEquals(0xffff_ffffL, c.reg(Reg.RBX));
        assertEquals(0x1234_0000_0000_ffffL, c.reg(Reg.RDX));
        assertEquals(0x5555_0000_0000_0000L, c.reg(Reg.RCX));
        assertEquals(0, c.rflags() & Flags.ZF);
    }

    @Test
    void larReadsTheAccessRights() {
        Cpu c = Fixture.cpu();
        c.setReg(Reg.RAX, 0x10);
        c.setReg(Reg.RBX, 0xffff_ffff_ffff_002bL);
        c.setReg(Reg.RCX, io.entrysim.cpu.Segments.CPUNODE_SEG);
        Fixture.runToEnd(c, new TestAsm()
            .op(Op.LAR, 4, TestAsm.r32(Reg.RAX), TestAsm.r32(Reg.RAX))
            .op(Op.LAR, 2, TestAsm.r16(Reg.RBX), TestAsm.r16(Reg.RBX))
            .op(Op.LAR, 8, r64(Reg.RCX), r64(Reg.RCX)));
        assertEquals(0x00a0_9b00L, c.reg(Reg.RAX));
        assertEquals(0xffff_ffff_ffff_f300L, c.reg(Reg.RBX));
        assertEquals(0x0040_f500L, c.reg(Reg.RCX));
        assertEquals(Flags.ZF, c.rflags() & Flags.ZF);
    }

    @Test
    void larOfAKernelSelectorAtCpl3ClearsZfAndWritesNothing() {
        Cpu c = Fixture.cpu();
        c.setCs(Cpu.USER_CS);
        c.setReg(Reg.RAX, 0x10);
        c.setRflags(Flags.ZF);
        Fixture.run(c, new TestAsm().op(Op.LAR, 4, TestAsm.r32(Reg.RAX), TestAsm.r32(Reg.RAX)));
        assertEquals(0x10, c.reg(Reg.RAX));
        assertEquals(0, c.rflags() & Flags.ZF);
    }

    @Test
    void lslFromAnUnreadableWordFaultsWithoutAnyEffect() {
        Cpu c = Fixture.cpu();
        c.setReg(Reg.RAX, 7);
        c.memory().setAccessChecker((address, size, kind) -> {
            throw io.entrysim.cpu.CpuFault.pageFault(address, 0, "not present");
        });
        RunResult r = Fixture.run(c, new TestAsm().op(Op.LSL, 4, TestAsm.abs(0x9000), TestAsm.r32(Reg.RAX)));
        assertEquals("#PF", r.fault().vector());
        assertEquals(7, c.reg(Reg.RAX));
        assertEquals(Flags.FIXED1, c.rflags());
    }

    @Test
    void rdpidReadsTscAuxAtAnyCpl() {
        Cpu c = Fixture.cpu();
        c.setMsr(io.entrysim.cpu.Msr.TSC_AUX, 0x2005);
        c.setReg(Reg.R9, -1L);
        c.setCs(Cpu.USER_CS);
        c.setRflags(Flags.CF);
        Fixture.run(c, new TestAsm().op(Op.RDPID, 8, r64(Reg.R9)));
        assertEquals(0x2005, c.reg(Reg.R9));
        assertEquals(Flags.FIXED1 | Flags.CF, c.rflags() & ~Flags.IF);
    }

    private static io.entrysim.assemble.Operand.Sreg sreg(int n) {
        return new io.entrysim.assemble.Operand.Sreg(n);
    }

    /** mov from a segment register: the selector, zero-extended into a 32/64-bit register, merged into a 16-bit one. */
    @Test
    void movFromSegmentRegisters() {
        Cpu c = Fixture.cpu();
        c.setReg(Reg.RAX, -1L);
        c.setReg(Reg.RBX, -1L);
        c.setReg(Reg.RCX, -1L);
        c.setDs(0x2b);
        Fixture.runToEnd(c, new TestAsm()
            .op(Op.MOV, 4, sreg(2), TestAsm.r32(Reg.RAX))
            .op(Op.MOV, 2, sreg(1), TestAsm.r16(Reg.RBX))
            .op(Op.MOV, 8, sreg(3), r64(Reg.RCX))
            .op(Op.MOV, 2, sreg(0), TestAsm.abs(0x9000)));
        assertEquals(Cpu.KERNEL_SS, c.reg(Reg.RAX));
        assertEquals(0xffff_ffff_ffff_0000L | Cpu.KERNEL_CS, c.reg(Reg.RBX));
        assertEquals(0x2b, c.reg(Reg.RCX));
        assertEquals(0, c.memory().peek(0x9000, 2));
    }

    @Test
    void movToSsChecksTheSelectorAndStartsTheShadow() {
        Cpu c = Fixture.cpu();
        c.setReg(Reg.RAX, 0x18);
        Fixture.runToEnd(c, new TestAsm().op(Op.MOV, 4, TestAsm.r32(Reg.RAX), sreg(2)));
        assertEquals(0x18, c.ss());
        assertTrue(c.events().interruptShadow(), "no interrupt before the next instruction");
        // a null SS is allowed at CPL 0 (64-bit mode)
        c.setReg(Reg.RAX, 0);
        Fixture.runToEnd(c, new TestAsm().op(Op.MOV, 4, TestAsm.r32(Reg.RAX), sreg(2)));
        assertEquals(0, c.ss());
        // the user's data segment at CPL 0: #GP(0x28), SS unchanged
        Cpu k = Fixture.cpu();
        k.setReg(Reg.RAX, 0x2b);
        RunResult r = Fixture.run(k, new TestAsm().op(Op.MOV, 4, TestAsm.r32(Reg.RAX), sreg(2)));
        assertEquals("#GP", r.fault().vector());
        assertEquals(0x28, r.fault().errorCode());
        assertEquals(Cpu.KERNEL_SS, k.ss());
        // a code segment
        k.setReg(Reg.RAX, 0x10);
        assertEquals("#GP", Fixture.run(k, new TestAsm().op(Op.MOV, 4, TestAsm.r32(Reg.RAX), sreg(2))).fault().vector());
    }

    @Test
    void movToDsEsFsGsAndCs() {
        Cpu c = Fixture.cpu();
        c.memory().poke(0x9000, 2, 0x2b);
        c.setReg(Reg.RAX, 0x18);
        Fixture.runToEnd(c, new TestAsm()
            .op(Op.MOV, 2, TestAsm.abs(0x9000), sreg(3))
            .op(Op.MOV, 4, TestAsm.r32(Reg.RAX), sreg(0)));
        assertEquals(0x2b, c.ds());
        assertEquals(0x18, c.es());
        c.setCs(Cpu.USER_CS);
        RunResult r = Fixture.run(c, new TestAsm().op(Op.MOV, 4, TestAsm.r32(Reg.RAX), sreg(3)));
        assertEquals("#GP", r.fault().vector(), "__KERNEL_DS at CPL 3");
        assertEquals(0x18, r.fault().errorCode());
        assertEquals(0x2b, c.ds());
        Cpu k = Fixture.cpu();
        assertEquals("#UD", Fixture.run(k, new TestAsm().op(Op.MOV, 4, TestAsm.r32(Reg.RAX), sreg(1))).fault().vector());
        assertEquals("#UD", Fixture.run(k, new TestAsm().op(Op.MOV, 4, TestAsm.r32(Reg.RAX), sreg(5))).fault().vector());
    }

    @Test
    void sysenterEntersTheKernelFromTheMsrs() {
        Cpu c = Fixture.cpu();
        c.setCs(Cpu.USER_CS);
        c.setSs(Cpu.USER_SS);
        c.setMsr(io.entrysim.cpu.Msr.SYSENTER_CS, Cpu.KERNEL_CS);
        c.setMsr(io.entrysim.cpu.Msr.SYSENTER_ESP, 0x7000_0000L);
        c.setRflags(Flags.IF | Flags.CF);
        TestAsm asm = new TestAsm().op(Op.SYSENTER, 4).op(Op.NOP, 4).label("entry").op(Op.HLT, 4);
        c.setMsr(io.entrysim.cpu.Msr.SYSENTER_EIP, asm.addressOf("entry"));
        RunResult r = Fixture.run(c, asm);
        assertEquals(StopReason.HLT, r.stop());
        assertEquals(Cpu.KERNEL_CS, c.cs());
        assertEquals(Cpu.KERNEL_SS, c.ss());
        assertEquals(0x7000_0000L, c.reg(Reg.RSP));
        assertEquals(Flags.FIXED1 | Flags.CF, c.rflags());
    }

    @Test
    void sysenterWithoutSysenterCsIsAGeneralProtectionFault() {
        Cpu c = Fixture.cpu();
        RunResult r = Fixture.run(c, new TestAsm().op(Op.SYSENTER, 4));
        assertEquals("#GP", r.fault().vector());
        assertEquals(Fixture.STACK_TOP, c.reg(Reg.RSP));
    }

    @Test
    void sysexitReturnsToUserModeFromRdxAndRcx() {
        Cpu c = Fixture.cpu();
        c.setMsr(io.entrysim.cpu.Msr.SYSENTER_CS, Cpu.KERNEL_CS);
        c.setReg(Reg.RDX, 0x40_0000L);
        c.setReg(Reg.RCX, 0x7fff_0000L);
        Fixture.run(c, new TestAsm().op(Op.SYSEXIT, 8));
        assertEquals(Cpu.USER_CS, c.cs(), "SYSENTER_CS + 32, RPL 3");
        assertEquals(0x3b, c.ss(), "SYSENTER_CS + 40, RPL 3");
        assertEquals(0x40_0000L, c.rip());
        assertEquals(0x7fff_0000L, c.reg(Reg.RSP));
        // sysexitl: the 32-bit user segments, compatibility mode
        Cpu k = Fixture.cpu();
        k.setMsr(io.entrysim.cpu.Msr.SYSENTER_CS, Cpu.KERNEL_CS);
        k.setReg(Reg.RDX, 0xffff_ffff_0804_8000L);
        Fixture.run(k, new TestAsm().op(Op.SYSEXIT, 4));
        assertEquals(0x23, k.cs());
        assertEquals(Cpu.USER_SS, k.ss());
        assertEquals(0x0804_8000L, k.rip());
        assertTrue(k.compatMode());
        // non-canonical RDX: #GP(0), nothing changed
        Cpu n = Fixture.cpu();
        n.setMsr(io.entrysim.cpu.Msr.SYSENTER_CS, Cpu.KERNEL_CS);
        n.setReg(Reg.RDX, 0x8000_0000_0000_0000L);
        RunResult r = Fixture.run(n, new TestAsm().op(Op.SYSEXIT, 8));
        assertEquals("#GP", r.fault().vector());
        assertEquals(Cpu.KERNEL_CS, n.cs());
    }
}
