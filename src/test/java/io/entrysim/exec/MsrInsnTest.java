package io.entrysim.exec;

import static io.entrysim.exec.TestAsm.r32;
import static io.entrysim.exec.TestAsm.r64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.assemble.Op;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Flags;
import io.entrysim.cpu.Msr;
import io.entrysim.cpu.Reg;
import org.junit.jupiter.api.Test;

/** RDMSR, WRMSR, RD/WR{FS,GS}BASE, CLI, STI (SDM Vol. 2). */
class MsrInsnTest {
    private static RunResult one(Cpu c, Op op, int size, io.entrysim.assemble.Operand... ops) {
        return Fixture.run(c, new TestAsm().op(op, size, ops));
    }

    @Test
    void rdmsrSplitsIntoEdxEaxAndClearsTheHighHalves() {
        Cpu c = Fixture.cpu();
        c.setMsr(Msr.LSTAR, 0xffff_ffff_8160_0010L);
        c.setReg(Reg.RCX, 0xdead_beef_c000_0082L); // only ECX selects the MSR
        c.setReg(Reg.RAX, -1);
        c.setReg(Reg.RDX, -1);
        assertEquals(StopReason.END, one(c, Op.RDMSR, 4).stop());
        assertEquals(0x8160_0010L, c.reg(Reg.RAX));
        assertEquals(0xffff_ffffL, c.reg(Reg.RDX));
    }

    @Test
    void rdmsrOfTheBaseMsrsReadsTheSegmentBases() {
        Cpu c = Fixture.cpu();
        c.setGsBase(0xffff_8880_7fc0_0000L);
        c.setKernelGsBase(0x7f12_3456_7000L);
        c.setReg(Reg.RCX, Msr.GS_BASE);
        one(c, Op.RDMSR, 4);
        assertEquals(0x7fc0_0000L, c.reg(Reg.RAX));
        assertEquals(0xffff_8880L, c.reg(Reg.RDX));
        c.setReg(Reg.RCX, Msr.KERNEL_GS_BASE);
        one(c, Op.RDMSR, 4);
        assertEquals(0x3456_7000L, c.reg(Reg.RAX));
        assertEquals(0x7f12L, c.reg(Reg.RDX));
    }

    @Test
    void wrmsrJoinsEdxEaxIgnoringTheHighHalves() {
        Cpu c = Fixture.cpu();
        c.setReg(Reg.RCX, Msr.KERNEL_GS_BASE);
        c.setReg(Reg.RDX, 0x1234_5678_ffff_8880L);
        c.setReg(Reg.RAX, 0x9abc_def0_7fc0_0000L);
        assertEquals(StopReason.END, one(c, Op.WRMSR, 4).stop());
        assertEquals(0xffff_8880_7fc0_0000L, c.kernelGsBase());
        c.setReg(Reg.RCX, Msr.SPEC_CTRL);
        c.setReg(Reg.RDX, 0);
        c.setReg(Reg.RAX, 0x405); // IBRS | SSBD | BHI_DIS_S
        one(c, Op.WRMSR, 4);
        assertEquals(0x405, c.msr(Msr.SPEC_CTRL));
    }

    @Test
    void unknownMsrIsGeneralProtection() {
        Cpu c = Fixture.cpu();
        c.setReg(Reg.RCX, 0x1234);
        RunResult r = one(c, Op.RDMSR, 4);
        assertEquals(StopReason.FAULT, r.stop());
        assertEquals("#GP", r.fault().vector());
        assertEquals(0, r.fault().errorCode());
        r = one(c, Op.WRMSR, 4);
        assertEquals("#GP", r.fault().vector());
        assertEquals(0, r.fault().errorCode());
    }

    @Test
    void msrAccessAtCpl3IsGeneralProtectionAndChangesNothing() {
        Cpu c = Fixture.cpu();
        c.setCs(Cpu.USER_CS);
        c.setReg(Reg.RCX, Msr.LSTAR);
        c.setReg(Reg.RAX, 0x1000);
        c.setReg(Reg.RDX, 0);
        RunResult r = one(c, Op.WRMSR, 4);
        assertEquals("#GP", r.fault().vector());
        assertEquals(0, r.fault().errorCode());
        assertEquals(0, c.msr(Msr.LSTAR));
        r = one(c, Op.RDMSR, 4);
        assertEquals("#GP", r.fault().vector());
        assertEquals(0x1000, c.reg(Reg.RAX));
    }

    @Test
    void wrmsrChecksReservedBitsAndCanonicalAddresses() {
        Object[][] cases = {
            {Msr.LSTAR, 0x0000_8000_0000_0000L},       // not canonical (bit 47 set, 63:48 clear)
            {Msr.GS_BASE, 0xffff_0000_0000_0000L},     // not canonical
            {Msr.FMASK, 1L << 32},                     // bits 63:32 reserved
            {Msr.TSC_AUX, 1L << 40},                   // bits 63:32 reserved
            {Msr.SPEC_CTRL, 1L << 11},                 // reserved
            {Msr.EFER, Msr.DEFAULT_EFER | (1L << 1)},  // reserved bit 1
            {Msr.EFER, Msr.EFER_SCE | Msr.EFER_LMA},   // clears LME while CR0.PG=1
            {Msr.PRED_CMD, 2L},                        // only IBPB
        };
        for (Object[] k : cases) {
            Cpu c = Fixture.cpu();
            int msr = (Integer) k[0];
            long value = (Long) k[1];
            c.setReg(Reg.RCX, msr);
            c.setReg(Reg.RDX, value >>> 32);
            c.setReg(Reg.RAX, value & 0xffff_ffffL);
            RunResult r = one(c, Op.WRMSR, 4);
            assertEquals(StopReason.FAULT, r.stop(), Msr.name(msr) + " <- " + Long.toHexString(value));
            assertEquals("#GP", r.fault().vector());
            assertEquals(0, r.fault().errorCode());
        }
    }

    @Test
    void eferLmaIsReadOnlyAndPredCmdIsWriteOnly() {
        Cpu c = Fixture.cpu();
        c.setReg(Reg.RCX, Msr.EFER);
        c.setReg(Reg.RDX, 0);
        c.setReg(Reg.RAX, Msr.EFER_LME | Msr.EFER_NXE); // SCE off, LMA "cleared": ignored
        one(c, Op.WRMSR, 4);
        assertEquals(Msr.EFER_LME | Msr.EFER_LMA | Msr.EFER_NXE, c.msr(Msr.EFER));
        c.setReg(Reg.RCX, Msr.PRED_CMD);
        c.setReg(Reg.RAX, Msr.PRED_CMD_IBPB);
        assertEquals(StopReason.END, one(c, Op.WRMSR, 4).stop());
        RunResult r = one(c, Op.RDMSR, 4);
        assertEquals("#GP", r.fault().vector());
    }

    @Test
    void defaultsAreLinuxs() {
        Cpu c = new Cpu();
        assertEquals(0xd01, c.msr(Msr.EFER));
        assertEquals(0x0023_0010_0000_0000L, c.msr(Msr.STAR));
        assertEquals(0x25_7fd5L, c.msr(Msr.FMASK));
        assertEquals(0, c.msr(Msr.LSTAR));
    }

    @Test
    void fsgsbaseNeedsCr4FsgsbaseAndZeroExtends32BitForms() {
        Cpu c = Fixture.cpu();
        c.setGsBase(0xffff_8880_7fc0_0000L);
        RunResult r = one(c, Op.RDGSBASE, 8, r64(Reg.RAX));
        assertEquals("#UD", r.fault().vector());
        c.setCr4(c.cr4() | Cpu.CR4_FSGSBASE);
        c.setCs(Cpu.USER_CS); // any CPL
        c.setReg(Reg.RAX, -1);
        one(c, Op.RDGSBASE, 4, r32(Reg.RAX));
        assertEquals(0x7fc0_0000L, c.reg(Reg.RAX));
        one(c, Op.RDGSBASE, 8, r64(Reg.RBX));
        assertEquals(0xffff_8880_7fc0_0000L, c.reg(Reg.RBX));
        c.setReg(Reg.RCX, 0xffff_ffff_1234_5678L);
        one(c, Op.WRFSBASE, 4, r32(Reg.RCX));
        assertEquals(0x1234_5678L, c.fsBase());
        one(c, Op.WRFSBASE, 8, r64(Reg.RCX));
        assertEquals(0xffff_ffff_1234_5678L, c.fsBase());
        c.setReg(Reg.RDX, 0x0001_0000_0000_0000L);
        r = one(c, Op.WRGSBASE, 8, r64(Reg.RDX));
        assertEquals("#GP", r.fault().vector(), "non-canonical base");
        assertEquals(0xffff_8880_7fc0_0000L, c.gsBase());
    }

    @Test
    void cliStiFollowIopl() {
        Cpu c = Fixture.cpu();
        c.setRflags(Flags.IF);
        one(c, Op.CLI, 4);
        assertEquals(Flags.FIXED1, c.rflags());
        one(c, Op.STI, 4);
        assertEquals(Flags.FIXED1 | Flags.IF, c.rflags());

        c.setCs(Cpu.USER_CS);
        RunResult r = one(c, Op.CLI, 4);
        assertEquals("#GP", r.fault().vector(), "CPL 3 > IOPL 0");
        assertEquals(0, r.fault().errorCode());
        assertTrue(c.flag(Flags.IF));
        c.setRflags(Flags.IF | Flags.IOPL);
        one(c, Op.CLI, 4);
        assertFalse(c.flag(Flags.IF), "IOPL 3 lets CPL 3 clear IF");

        c.setRflags(Flags.IF | Flags.VIF);
        c.setCr4(c.cr4() | Cpu.CR4_PVI);
        one(c, Op.CLI, 4);
        assertEquals(Flags.FIXED1 | Flags.IF, c.rflags(), "CR4.PVI at CPL 3: VIF cleared instead");
        c.setRflags(Flags.VIP);
        r = one(c, Op.STI, 4);
        assertEquals("#GP", r.fault().vector(), "STI with PVI and VIP set");
    }

    @Test
    void stiFromIfClearStartsAnInterruptShadowThatTheNextInstructionEnds() {
        Cpu c = Fixture.cpu();
        Executor ex = new Executor(new TestAsm().op(Op.STI, 4).op(Op.NOP, 4).op(Op.STI, 4).build(), c);
        ex.begin(0);
        ex.step();
        assertTrue(c.events().interruptShadow());
        ex.step();
        assertFalse(c.events().interruptShadow());
        ex.step();
        assertFalse(c.events().interruptShadow(), "STI with IF already set opens no shadow");
    }
}
