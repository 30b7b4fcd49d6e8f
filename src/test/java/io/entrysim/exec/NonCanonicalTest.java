package io.entrysim.exec;

import static io.entrysim.exec.TestAsm.abs;
import static io.entrysim.exec.TestAsm.gs;
import static io.entrysim.exec.TestAsm.mem;
import static io.entrysim.exec.TestAsm.r64;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.entrysim.assemble.Op;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.CpuFault;
import io.entrysim.cpu.Reg;
import org.junit.jupiter.api.Test;

/**
 * Non-canonical references fault on any machine, flat included (SDM Vol. 3, 6.15): #SS(0) when
 * the stack segment is referenced (PUSH/POP/CALL/RET, RSP/RBP-based operands), else #GP(0).
 * Every fault carries the CR3 in force.
 */
class NonCanonicalTest {
    static final long HOLE = 0x0000_8000_0000_0000L;

    static CpuFault fault(Cpu cpu, TestAsm asm) {
        RunResult r = Fixture.run(cpu, asm);
        assertEquals(StopReason.FAULT, r.stop(), r::toString);
        return r.fault();
    }

    @Test
    void stackReferences() {
        Cpu c = Fixture.cpu();
        c.setCr3(0x1c0a000L);
        c.setReg(Reg.RSP, HOLE + 8);
        CpuFault push = fault(c, new TestAsm().op(Op.PUSH, 8, r64(Reg.RAX)));
        assertEquals("#SS", push.vector());
        assertEquals(0, push.errorCode());
        assertEquals(0x1c0a000L, push.cr3().getAsLong());
        assertEquals(HOLE + 8, c.reg(Reg.RSP));

        Cpu p = Fixture.cpu();
        p.setReg(Reg.RSP, HOLE);
        assertEquals("#SS", fault(p, new TestAsm().op(Op.POP, 8, r64(Reg.RAX))).vector());
        assertEquals("#SS", fault(p, new TestAsm().op(Op.RET, 8)).vector());

        Cpu b = Fixture.cpu();
        b.setReg(Reg.RBP, HOLE);
        assertEquals("#SS", fault(b, new TestAsm().op(Op.MOV, 8, mem(Reg.RBP, 0), r64(Reg.RAX))).vector());
    }

    @Test
    void otherReferences() {
        Cpu c = Fixture.cpu();
        c.setReg(Reg.RBX, HOLE);
        CpuFault f = fault(c, new TestAsm().op(Op.MOV, 8, r64(Reg.RAX), mem(Reg.RBX, 0)));
        assertEquals("#GP", f.vector());
        assertEquals(0, f.errorCode());
        assertEquals(0, f.cr3().getAsLong());
        assertEquals("#GP", fault(Fixture.cpu(), new TestAsm().op(Op.MOV, 8, abs(0xffff_0000_0000_0000L), r64(Reg.RAX))).vector());
        // A %gs: reference is a data reference.
        Cpu g = Fixture.cpu();
        g.setGsBase(HOLE);
        assertEquals("#GP", fault(g, new TestAsm().op(Op.MOV, 8, gs(0), r64(Reg.RAX))).vector());
        // LEA computes, it does not reference memory.
        Cpu l = Fixture.cpu();
        l.setReg(Reg.RBX, HOLE);
        Fixture.runToEnd(l, new TestAsm().op(Op.LEA, 8, mem(Reg.RBX, 0), r64(Reg.RAX)));
        assertEquals(HOLE, l.reg(Reg.RAX));
    }
}
