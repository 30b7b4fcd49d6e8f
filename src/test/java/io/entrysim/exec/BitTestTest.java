package io.entrysim.exec;

import static io.entrysim.cpu.Flags.AF;
import static io.entrysim.cpu.Flags.CF;
import static io.entrysim.cpu.Flags.OF;
import static io.entrysim.cpu.Flags.PF;
import static io.entrysim.cpu.Flags.SF;
import static io.entrysim.cpu.Flags.STATUS;
import static io.entrysim.cpu.Flags.ZF;
import static io.entrysim.exec.Fixture.assertStatus;
import static io.entrysim.exec.TestAsm.abs;
import static io.entrysim.exec.TestAsm.gs;
import static io.entrysim.exec.TestAsm.imm;
import static io.entrysim.exec.TestAsm.mem;
import static io.entrysim.exec.TestAsm.r16;
import static io.entrysim.exec.TestAsm.r32;
import static io.entrysim.exec.TestAsm.r64;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.entrysim.assemble.Op;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Memory;
import io.entrysim.cpu.Reg;
import org.junit.jupiter.api.Test;

/**
 * BT BTS BTR BTC. SDM: CF = the selected bit; ZF unaffected; OF SF AF PF undefined (kept).
 * Register base or immediate offset: offset modulo the operand width. Register offset with a
 * memory base: bit-string addressing with a signed offset.
 */
class BitTestTest {
    private static final long BUF = 0x10_0000;

    @Test
    void registerBaseTakesOffsetModuloWidth() {
        Cpu c = Fixture.cpu();
        c.setReg(Reg.RAX, 0x8000_0000_0000_1000L);
        c.setReg(Reg.RCX, 64 + 12); // 76 mod 64 = 12
        c.setRflags(ZF | SF);
        Fixture.runToEnd(c, new TestAsm().op(Op.BT, 8, r64(Reg.RCX), r64(Reg.RAX)));
        assertStatus(CF | ZF | SF, c.rflags(), "bt %rcx,%rax with offset 76");
        assertEquals(OF | SF | AF | PF, c.undefinedFlags());

        // bts $63 (SET_NOFLUSH_BIT): CF = old bit 63 = 1, value unchanged.
        Fixture.runToEnd(c, new TestAsm().op(Op.BTS, 8, imm(63), r64(Reg.RAX)));
        assertEquals(0x8000_0000_0000_1000L, c.reg(Reg.RAX));
        assertStatus(CF | ZF | SF, c.rflags(), "bts $63");

        // btrl $44 -> 44 mod 32 = 12 clears bit 12; 32-bit destination zero-extends.
        Fixture.runToEnd(c, new TestAsm().op(Op.BTR, 4, imm(44), r32(Reg.RAX)));
        assertEquals(0, c.reg(Reg.RAX));
        assertStatus(CF | ZF | SF, c.rflags(), "btrl $44");

        // btcw %cx (= 76 mod 16 = 12) on AX: sets bit 12, merges into RAX.
        c.setReg(Reg.RAX, 0xFFFF_0000L);
        Fixture.runToEnd(c, new TestAsm().op(Op.BTC, 2, r16(Reg.RCX), r16(Reg.RAX)));
        assertEquals(0xFFFF_1000L, c.reg(Reg.RAX));
        assertStatus(ZF | SF, c.rflags(), "btcw: bit was 0");
    }

    @Test
    void immediateOffsetIntoMemoryIsModuloWidthToo() {
        Cpu c = Fixture.cpu();
        c.memory().poke(BUF, 8, 0);
        c.memory().poke(BUF + 8, 8, 0);
        Fixture.runToEnd(c, new TestAsm().op(Op.BTS, 8, imm(64 + 3), abs(BUF)));
        assertEquals(8, c.memory().peek(BUF, 8));
        assertEquals(0, c.memory().peek(BUF + 8, 8), "an immediate never reaches the next quadword");
    }

    @Test
    void bitStringAddressingWithLargeAndNegativeOffsets() {
        // {offset, size, expected address delta, expected bit}: EA + size*floor(off/bits), off mod bits.
        long[][] rows = {
            {0, 8, 0, 0}, {63, 8, 0, 63}, {64, 8, 8, 0}, {200, 8, 24, 8},
            {-1, 8, -8, 63}, {-64, 8, -8, 0}, {-65, 8, -16, 63},
            {31, 4, 0, 31}, {32, 4, 4, 0}, {-1, 4, -4, 31}, {-33, 4, -8, 31},
            {15, 2, 0, 15}, {16, 2, 2, 0}, {-1, 2, -2, 15}, {-17, 2, -4, 15},
        };
        for (long[] row : rows) {
            long off = row[0];
            int size = (int) row[1];
            Cpu c = Fixture.cpu();
            c.setReg(Reg.RBX, BUF);
            c.setReg(Reg.RCX, off);
            Fixture.runToEnd(c, new TestAsm().op(Op.BTS, size, TestAsm.reg(Reg.RCX, size), mem(Reg.RBX, 0)));
            Memory m = c.memory();
            assertEquals(1L << row[3], m.peek(BUF + row[2], size), "bts offset " + off + " size " + size);
            assertEquals(1, m.writeCount());
            assertEquals(0, c.rflags() & CF);
        }
    }

    @Test
    void offsetRegisterIsSignedAtTheOperandSize() {
        // btl %ecx with ECX = 0xFFFFFFFF (RCX upper half garbage): offset -1, not 2^32-1.
        Cpu c = Fixture.cpu();
        c.memory().poke(BUF - 4, 4, 0x8000_0000L);
        c.setReg(Reg.RBX, BUF);
        c.setReg(Reg.RCX, 0x7777_7777_FFFF_FFFFL);
        Fixture.runToEnd(c, new TestAsm().op(Op.BT, 4, r32(Reg.RCX), mem(Reg.RBX, 0)));
        assertEquals(CF, c.rflags() & CF);
    }

    /** Q1: a 64-bit btr at cpu_tlbstate+22 over a u16 field always writes 8 bytes back. */
    @Test
    void btrAlwaysWritesBackEvenWhenTheBitWasClear() {
        Cpu c = Fixture.cpu();
        long perCpu = 0x20_0000;
        c.setGsBase(perCpu);
        long mask = perCpu + 0x1000 + 22;
        c.memory().poke(mask, 8, 0xAAAA_0000_0000_0004L); // neighbours above the u16 field
        c.setReg(Reg.RAX, 3);
        Fixture.runToEnd(c, new TestAsm()
            .op(Op.BT, 8, r64(Reg.RAX), gs(0x1000 + 22))
            .op(Op.BTR, 8, r64(Reg.RAX), gs(0x1000 + 22)));
        assertEquals(1, c.memory().writeCount(), "bt reads only; btr writes although bit 3 was already 0");
        assertEquals(0xAAAA_0000_0000_0004L, c.memory().peek(mask, 8));
        assertEquals(0, c.rflags() & CF);

        c.setReg(Reg.RAX, 2);
        Fixture.runToEnd(c, new TestAsm().op(Op.BTR, 8, r64(Reg.RAX), gs(0x1000 + 22)));
        assertEquals(CF, c.rflags() & CF);
        assertEquals(0xAAAA_0000_0000_0000L, c.memory().peek(mask, 8));
        assertEquals(2, c.memory().writeCount());
    }

    @Test
    void flagsOtherThanCfAreKeptAndMarkedUndefined() {
        Cpu c = Fixture.cpu();
        c.setRflags(STATUS & ~CF);
        c.setReg(Reg.RAX, 1);
        Fixture.runToEnd(c, new TestAsm().op(Op.BTC, 8, imm(0), r64(Reg.RAX)));
        assertStatus(STATUS, c.rflags(), "only CF changes (to the old bit, 1)");
        assertEquals(0, c.reg(Reg.RAX));
        assertEquals(OF | SF | AF | PF, c.undefinedFlags());
    }
}
