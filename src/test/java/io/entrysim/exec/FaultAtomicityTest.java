package io.entrysim.exec;

import static io.entrysim.exec.Fixture.STACK_TOP;
import static io.entrysim.exec.TestAsm.abs;
import static io.entrysim.exec.TestAsm.imm;
import static io.entrysim.exec.TestAsm.mem;
import static io.entrysim.exec.TestAsm.r64;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.entrysim.assemble.Op;
import io.entrysim.cpu.AccessKind;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.CpuFault;
import io.entrysim.cpu.CpuSnapshot;
import io.entrysim.cpu.Flags;
import io.entrysim.cpu.Reg;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A fault (here from the access checker) leaves the faulting instruction without any effect. */
class FaultAtomicityTest {
    private static final long READ_ONLY = 0x8000;

    /** Writes to the READ_ONLY page fault like a write to a read-only page. */
    private static void protect(Cpu c) {
        c.memory().setAccessChecker((address, size, kind) -> {
            if (kind == AccessKind.WRITE && address < READ_ONLY + 0x1000 && address + size > READ_ONLY) {
                throw CpuFault.pageFault(address, CpuFault.PF_PRESENT | CpuFault.PF_WRITE, "read-only");
            }
        });
    }

    @Test
    void faultingStoresCommitNothing() {
        List<TestAsm> programs = List.of(
            new TestAsm().op(Op.ADD, 8, imm(1), abs(READ_ONLY)),                 // flags untouched
            new TestAsm().op(Op.BTS, 8, r64(Reg.RAX), abs(READ_ONLY)),              // bit 66: at +8
            new TestAsm().op(Op.XCHG, 8, r64(Reg.RAX), abs(READ_ONLY)),          // register untouched
            new TestAsm().op(Op.POP, 8, abs(READ_ONLY)),                          // RSP restored
            new TestAsm().op(Op.SHL, 8, imm(3), abs(READ_ONLY)));
        for (TestAsm asm : programs) {
            Cpu c = Fixture.cpu();
            c.setReg(Reg.RAX, 0x42);
            c.setRflags(Flags.ZF);
            c.setUndefinedFlags(Flags.OF);
            c.memory().poke(READ_ONLY, 8, 0x99);
            protect(c);
            CpuSnapshot before = c.snapshot();
            RunResult r = Fixture.run(c, asm);
            String what = asm.build().code()[0].text;
            assertEquals(StopReason.FAULT, r.stop(), what);
            assertEquals("#PF", r.fault().vector(), what);
            assertEquals(r.fault().address().getAsLong(), c.cr2(), what);
            assertEquals(0, r.steps(), what);
            assertEquals(before.gpr(Reg.RAX), c.reg(Reg.RAX), what);
            assertEquals(before.gpr(Reg.RSP), c.reg(Reg.RSP), what);
            assertEquals(before.rflags(), c.rflags(), what);
            assertEquals(Flags.OF, c.undefinedFlags(), what);
            assertEquals(0x99, c.memory().peek(READ_ONLY, 8), what);
            assertEquals(0, c.memory().peek(READ_ONLY + 8, 8), what);
            assertEquals(0, c.memory().writeCount(), what);
            assertEquals(TestAsm.BASE, c.rip(), what);
        }
    }

    @Test
    void pushOntoAnUnwritableStackFaultsBeforeMovingRsp() {
        Cpu c = Fixture.cpu();
        c.setReg(Reg.RSP, READ_ONLY + 8);
        protect(c);
        RunResult r = Fixture.run(c, new TestAsm().call("f").label("f").op(Op.NOP, 8));
        assertEquals(StopReason.FAULT, r.stop());
        assertEquals(READ_ONLY + 8, c.reg(Reg.RSP));
        assertEquals(READ_ONLY, r.fault().address().getAsLong());
    }

    @Test
    void checkerSeesFetchesReadsAndWrites() {
        Cpu c = Fixture.cpu();
        List<String> seen = new ArrayList<>();
        c.memory().setAccessChecker((address, size, kind) -> seen.add(kind + " " + Long.toHexString(address) + "/" + size));
        c.setReg(Reg.RBX, 0x5000);
        Fixture.runToEnd(c, new TestAsm().op(Op.ADD, 4, imm(1), mem(Reg.RBX, 8)));
        assertEquals(List.of("FETCH 401000/4", "READ 5008/4", "WRITE 5008/4"), seen);
    }

    @Test
    void fetchFaultStopsBeforeTheInstruction() {
        Cpu c = Fixture.cpu();
        c.memory().setAccessChecker((address, size, kind) -> {
            if (kind == AccessKind.FETCH && address != TestAsm.BASE) {
                throw CpuFault.pageFault(address, CpuFault.PF_FETCH, "not executable");
            }
        });
        RunResult r = Fixture.run(c, new TestAsm().op(Op.INC, 8, r64(Reg.RAX)).op(Op.INC, 8, r64(Reg.RAX)));
        assertEquals(StopReason.FAULT, r.stop());
        assertEquals(1, r.steps());
        assertEquals(1, r.finalIndex());
        assertEquals(1, c.reg(Reg.RAX));
        assertEquals(TestAsm.BASE + 4, c.cr2());
        assertEquals(STACK_TOP, c.reg(Reg.RSP));
    }
}
