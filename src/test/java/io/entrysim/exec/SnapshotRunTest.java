package io.entrysim.exec;

import static io.entrysim.exec.TestAsm.cr;
import static io.entrysim.exec.TestAsm.gs;
import static io.entrysim.exec.TestAsm.imm;
import static io.entrysim.exec.TestAsm.r64;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.entrysim.assemble.Op;
import io.entrysim.assemble.Program;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.CpuSnapshot;
import io.entrysim.cpu.Reg;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sweeps run a program from one snapshot many times: restore must undo everything a run did. */
class SnapshotRunTest {
    @Test
    void restoreUndoesARunCompletely() {
        Cpu c = Fixture.cpu();
        c.setGsBase(0x20_0000);
        c.setCr4(c.cr4() | Cpu.CR4_PCIDE);
        c.memory().poke(0x20_0016, 8, 0b110);
        Program p = new TestAsm()
            .op(Op.PUSH, 8, r64(Reg.RAX))
            .op(Op.MOV, 8, cr(3), r64(Reg.RAX))
            .op(Op.BTR, 8, imm(2), gs(0x16))
            .op(Op.OR, 8, imm(0x1800), r64(Reg.RAX))
            .op(Op.MOV, 8, r64(Reg.RAX), cr(3))
            .op(Op.POP, 8, r64(Reg.RAX))
            .build();
        CpuSnapshot before = c.snapshot();
        Executor ex = new Executor(p, c);
        for (int round = 0; round < 3; round++) {
            RunResult r = ex.run(0, 100);
            assertEquals(StopReason.END, r.stop());
            assertEquals(1, c.cr3Writes().size());
            assertEquals(0x1800, c.cr3());
            assertEquals(0b010, c.memory().peek(0x20_0016, 8));
            assertEquals(2, c.memory().writeCount());
            c.restore(before);
            assertEquals(List.of(), c.cr3Writes());
            assertEquals(0, c.cr3());
            assertEquals(0b110, c.memory().peek(0x20_0016, 8));
            assertEquals(0, c.memory().peek(Fixture.STACK_TOP - 8, 8));
            assertEquals(0, c.memory().writeCount());
            assertEquals(0, c.undefinedFlags());
        }
    }
}
