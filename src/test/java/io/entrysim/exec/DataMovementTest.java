package io.entrysim.exec;

import static io.entrysim.exec.TestAsm.abs;
import static io.entrysim.exec.TestAsm.fs;
import static io.entrysim.exec.TestAsm.gs;
import static io.entrysim.exec.TestAsm.high8;
import static io.entrysim.exec.TestAsm.imm;
import static io.entrysim.exec.TestAsm.mem;
import static io.entrysim.exec.TestAsm.r16;
import static io.entrysim.exec.TestAsm.r32;
import static io.entrysim.exec.TestAsm.r64;
import static io.entrysim.exec.TestAsm.r8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.entrysim.assemble.Cond;
import io.entrysim.assemble.Op;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Flags;
import io.entrysim.cpu.Reg;
import org.junit.jupiter.api.Test;

/** MOV MOVZX MOVSX LEA XCHG CMOVcc SETcc: register width rules (SDM Vol. 1, 3.4.1.1) and addressing. */
class DataMovementTest {
    private static final long GARBAGE = 0x1122_3344_5566_7788L;

    @Test
    void registerWritesByWidth() {
        Cpu c = Fixture.cpu();
        for (int r : new int[] {Reg.RAX, Reg.RBX, Reg.RCX, Reg.RDX}) {
            c.setReg(r, GARBAGE);
        }
        c.setReg(Reg.RSI, -1L);
        Fixture.runToEnd(c, new TestAsm()
            .op(Op.MOV, 4, r32(Reg.RSI), r32(Reg.RAX))     // zero-extends
            .op(Op.MOV, 2, r16(Reg.RSI), r16(Reg.RBX))     // merges bits 15:0
            .op(Op.MOV, 1, r8(Reg.RSI), r8(Reg.RCX))       // merges bits 7:0
            .op(Op.MOV, 1, imm(0xAB), high8(Reg.RDX)));    // %dh: bits 15:8
        assertEquals(0xFFFF_FFFFL, c.reg(Reg.RAX));
        assertEquals(0x1122_3344_5566_FFFFL, c.reg(Reg.RBX));
        assertEquals(0x1122_3344_5566_77FFL, c.reg(Reg.RCX));
        assertEquals(0x1122_3344_5566_AB88L, c.reg(Reg.RDX));
    }

    @Test
    void highByteSourceAndMovabs() {
        Cpu c = Fixture.cpu();
        c.setReg(Reg.RBX, 0xBEEF);
        Fixture.runToEnd(c, new TestAsm()
            .op(Op.MOV, 1, high8(Reg.RBX), r8(Reg.RAX))
            .op(Op.MOV, 8, imm(0x1234_5678_9ABC_DEF0L), r64(Reg.R15)));
        assertEquals(0xBE, c.reg(Reg.RAX));
        assertEquals(0x1234_5678_9ABC_DEF0L, c.reg(Reg.R15));
    }

    @Test
    void memoryOperandsWithIndexScaleAndSegments() {
        Cpu c = Fixture.cpu();
        c.setGsBase(0x30_0000);
        c.setFsBase(0x40_0000);
        c.setReg(Reg.RBX, 0x1000);
        c.setReg(Reg.RSI, 3);
        c.memory().poke(0x30_0000 + 0x1000 + 3 * 8 + 16, 8, 0x77);
        Fixture.runToEnd(c, new TestAsm()
            .op(Op.MOV, 8, gs(0x1000 + 24 + 16), r64(Reg.RAX))
            .op(Op.MOV, 4, imm(-1), fs(8))  // imm32 stored as 4 bytes
            .op(Op.MOV, 8, mem(Reg.RBX, Reg.RSI, 8, 16), r64(Reg.RDX)));
        assertEquals(0x77, c.reg(Reg.RAX));
        assertEquals(0xFFFF_FFFFL, c.memory().peek(0x40_0008, 8));
        assertEquals(0, c.reg(Reg.RDX), "no segment: plain address 0x1028 holds 0");
        // movb %al, gs:x+7: a byte store into the top byte of a u64
        c.memory().poke(0x30_0100, 8, 0x0011_2233_4455_6677L);
        c.setReg(Reg.RAX, 0x80);
        Fixture.runToEnd(c, new TestAsm().op(Op.MOV, 1, r8(Reg.RAX), gs(0x100 + 7)));
        assertEquals(0x8011_2233_4455_6677L, c.memory().peek(0x30_0100, 8));
    }

    @Test
    void movzxMovsx() {
        Cpu c = Fixture.cpu();
        c.setReg(Reg.RSI, 0x80F0);
        c.setReg(Reg.RAX, GARBAGE);
        c.setReg(Reg.RBX, GARBAGE);
        c.memory().poke(0x5000, 4, 0x8000_0000L);
        Fixture.runToEnd(c, new TestAsm()
            .ext(Op.MOVZX, 1, 4, r8(Reg.RSI), r32(Reg.RAX))       // movzbl
            .ext(Op.MOVSX, 2, 8, r16(Reg.RSI), r64(Reg.RCX))      // movswq
            .ext(Op.MOVSX, 1, 2, r8(Reg.RSI), r16(Reg.RBX))       // movsbw merges
            .ext(Op.MOVSX, 4, 8, abs(0x5000), r64(Reg.RDX)));     // movslq from memory
        assertEquals(0xF0, c.reg(Reg.RAX));
        assertEquals(0xFFFF_FFFF_FFFF_80F0L, c.reg(Reg.RCX));
        assertEquals(0x1122_3344_5566_FFF0L, c.reg(Reg.RBX));
        assertEquals(0xFFFF_FFFF_8000_0000L, c.reg(Reg.RDX));
    }

    @Test
    void leaComputesTheOffsetWithoutSegmentBase() {
        Cpu c = Fixture.cpu();
        c.setGsBase(0x1_0000);
        c.setReg(Reg.RBX, 0xFFFF_FFFF_0000_0010L);
        c.setReg(Reg.RCX, GARBAGE);
        Fixture.runToEnd(c, new TestAsm()
            .op(Op.LEA, 8, gs(0x20), r64(Reg.RAX))
            .op(Op.LEA, 4, mem(Reg.RBX, Reg.RBX, 2, 1), r32(Reg.RDX))
            .op(Op.LEA, 2, mem(Reg.RBX, -0x11), r16(Reg.RCX)));
        assertEquals(0x20, c.reg(Reg.RAX));
        assertEquals(0x31, c.reg(Reg.RDX), "low 32 bits of 3*rbx+1, zero-extended");
        assertEquals(0x1122_3344_5566_FFFFL, c.reg(Reg.RCX));
    }

    @Test
    void xchgRegisterAndMemory() {
        Cpu c = Fixture.cpu();
        c.setReg(Reg.RAX, 1);
        c.setReg(Reg.RBX, GARBAGE);
        c.memory().poke(0x5000, 8, 0xAA);
        Fixture.runToEnd(c, new TestAsm()
            .op(Op.XCHG, 8, r64(Reg.RAX), abs(0x5000))
            .op(Op.XCHG, 4, r32(Reg.RAX), r32(Reg.RBX))
            .op(Op.XCHG, 1, high8(Reg.RBX), r8(Reg.RBX)));
        assertEquals(1, c.memory().peek(0x5000, 8));
        assertEquals(1, c.memory().writeCount());
        assertEquals(0x5566_7788L, c.reg(Reg.RAX));
        assertEquals(0xAA00L, c.reg(Reg.RBX));
    }

    @Test
    void cmovZeroExtendsA32BitDestinationEvenWhenNotMoving() {
        Cpu c = Fixture.cpu();
        c.setRflags(0); // ZF clear: cmovz does not move
        c.setReg(Reg.RAX, GARBAGE);
        c.setReg(Reg.RBX, GARBAGE);
        c.setReg(Reg.RCX, 5);
        Fixture.runToEnd(c, new TestAsm()
            .cc(Op.CMOVCC, Cond.E, 4, r32(Reg.RCX), r32(Reg.RAX))
            .cc(Op.CMOVCC, Cond.E, 8, r64(Reg.RCX), r64(Reg.RBX))
            .cc(Op.CMOVCC, Cond.NE, 2, r16(Reg.RCX), r16(Reg.RDX)));
        assertEquals(0x5566_7788L, c.reg(Reg.RAX));
        assertEquals(GARBAGE, c.reg(Reg.RBX));
        assertEquals(5, c.reg(Reg.RDX));
    }

    @Test
    void setccEveryConditionBothWays() {
        // {flags, conditions that hold}
        long[][] cases = {
            {0, mask(Cond.NO, Cond.AE, Cond.NE, Cond.A, Cond.NS, Cond.NP, Cond.GE, Cond.G)},
            {Flags.CF, mask(Cond.NO, Cond.B, Cond.NE, Cond.BE, Cond.NS, Cond.NP, Cond.GE, Cond.G)},
            {Flags.ZF | Flags.PF, mask(Cond.NO, Cond.AE, Cond.E, Cond.BE, Cond.NS, Cond.P, Cond.GE, Cond.LE)},
            {Flags.SF, mask(Cond.NO, Cond.AE, Cond.NE, Cond.A, Cond.S, Cond.NP, Cond.L, Cond.LE)},
            {Flags.SF | Flags.OF, mask(Cond.O, Cond.AE, Cond.NE, Cond.A, Cond.S, Cond.NP, Cond.GE, Cond.G)},
            {Flags.OF, mask(Cond.O, Cond.AE, Cond.NE, Cond.A, Cond.NS, Cond.NP, Cond.L, Cond.LE)},
        };
        for (long[] row : cases) {
            for (Cond cond : Cond.values()) {
                Cpu c = Fixture.cpu();
                c.setRflags(row[0]);
                c.setReg(Reg.RAX, GARBAGE);
                Fixture.runToEnd(c, new TestAsm().cc(Op.SETCC, cond, 1, r8(Reg.RAX)));
                long expected = (row[1] >> cond.ordinal() & 1);
                assertEquals((GARBAGE & ~0xFFL) | expected, c.reg(Reg.RAX), "set" + cond + " flags " + Flags.names(row[0]));
            }
        }
    }

    private static long mask(Cond... conds) {
        long m = 0;
        for (Cond c : conds) {
            m |= 1L << c.ordinal();
        }
        return m;
    }
}
