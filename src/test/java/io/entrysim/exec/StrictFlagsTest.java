package io.entrysim.exec;

import static io.entrysim.exec.TestAsm.imm;
import static io.entrysim.exec.TestAsm.r64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.entrysim.assemble.Cond;
import io.entrysim.assemble.Op;
import io.entrysim.assemble.Program;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Flags;
import io.entrysim.cpu.Reg;
import java.util.List;
import org.junit.jupiter.api.Test;

/** --strict-flags: reads of flags the SDM calls undefined. */
class StrictFlagsTest {
    @Test
    void jccAfterBtOnAnUndefinedFlagIsReported() {
        Cpu c = Fixture.cpu();
        Program p = new TestAsm()
            .op(Op.BT, 8, imm(3), r64(Reg.RAX))   // 0: CF defined; OF SF AF PF undefined
            .jcc(Cond.B, "x")                     // 1: reads CF: fine
            .label("x")
            .jcc(Cond.S, "y")                     // 2: reads SF: undefined
            .label("y")
            .jcc(Cond.S, "z")                     // 3: again, reported separately (another instruction)
            .label("z")
            .build();
        Executor ex = new Executor(p, c, ExecOptions.STRICT_FLAGS);
        RunResult r = ex.run(0, 100);
        assertEquals(StopReason.END, r.stop());
        assertEquals(2, r.flagViolations().size());
        FlagViolation v = r.flagViolations().get(0);
        assertEquals(2, v.index());
        assertEquals(3, v.step());
        assertEquals(Flags.SF, v.flags());
        assertSame(p.code()[0], v.undefinedBy());
        assertEquals("'" + p.code()[2].text + "' reads undefined SF left undefined by '" + p.code()[0].text
            + "' at test.S:1", v.message());
    }

    @Test
    void loopsReportEachInstructionOnce() {
        Cpu c = Fixture.cpu();
        c.setReg(Reg.RCX, 3);
        Program p = new TestAsm()
            .label("top")
            .op(Op.SHL, 8, imm(2), r64(Reg.RAX))      // OF undefined
            .cc(Op.SETCC, Cond.O, 1, TestAsm.r8(Reg.RBX))
            .op(Op.DEC, 8, r64(Reg.RCX))             // defines OF, not CF
            .jcc(Cond.NE, "top")
            .build();
        RunResult r = new Executor(p, c, ExecOptions.STRICT_FLAGS).run(0, 100);
        assertEquals(1, r.flagViolations().size());
        assertEquals(Flags.OF, r.flagViolations().get(0).flags());
    }

    @Test
    void adcPushfAndCmcReadFlags() {
        Cpu c = Fixture.cpu();
        c.setUndefinedFlags(Flags.CF | Flags.AF);
        Program p = new TestAsm()
            .op(Op.ADC, 8, imm(0), r64(Reg.RAX))  // reads CF (undefined, no culprit), then defines all
            .op(Op.AND, 8, imm(1), r64(Reg.RAX))  // AF undefined again
            .op(Op.PUSHF, 8)                      // reads AF
            .op(Op.CMC, 8)                        // CF is defined (AND cleared it)
            .build();
        RunResult r = new Executor(p, c, ExecOptions.STRICT_FLAGS).run(0, 100);
        List<FlagViolation> v = r.flagViolations();
        assertEquals(2, v.size());
        assertEquals(Flags.CF, v.get(0).flags());
        assertEquals(null, v.get(0).undefinedBy());
        assertEquals(Flags.AF, v.get(1).flags());
        assertSame(p.code()[1], v.get(1).undefinedBy());
    }

    @Test
    void offByDefault() {
        Cpu c = Fixture.cpu();
        c.setUndefinedFlags(Flags.STATUS);
        RunResult r = new Executor(new TestAsm().jcc(Cond.E, "x").label("x").build(), c).run(0, 10);
        assertEquals(List.of(), r.flagViolations());
    }
}
