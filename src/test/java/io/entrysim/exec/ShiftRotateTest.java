package io.entrysim.exec;

import static io.entrysim.cpu.Flags.AF;
import static io.entrysim.cpu.Flags.CF;
import static io.entrysim.cpu.Flags.OF;
import static io.entrysim.cpu.Flags.PF;
import static io.entrysim.cpu.Flags.SF;
import static io.entrysim.cpu.Flags.STATUS;
import static io.entrysim.cpu.Flags.ZF;
import static io.entrysim.exec.Fixture.SIZES;
import static io.entrysim.exec.Fixture.assertStatus;
import static io.entrysim.exec.Fixture.edges;
import static io.entrysim.exec.Fixture.hex;
import static io.entrysim.exec.Fixture.mask;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.entrysim.assemble.Op;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Memory;
import io.entrysim.cpu.Reg;
import org.junit.jupiter.api.Test;

/**
 * SHL SHR SAR ROL ROR. The oracle below transcribes the SDM "Operation" pseudo-code (one bit
 * per loop iteration, count masked with 1FH/3FH, rotates by masked count MOD size) plus the
 * "Flags Affected" text; undefined flags are expected unchanged (our policy) and marked.
 */
class ShiftRotateTest {
    private static final long UPPER = 0x0123_4567_89AB_CDEFL;

    @Test
    void handWorkedRows() {
        // shlb $1, 0x80: the bit shifted out is 1 (CF); result 0; OF = MSB(result) XOR CF = 1.
        Cpu c = shift(Op.SHL, 1, 0x80, 1, 0);
        assertEquals(0, c.reg(Reg.RAX) & 0xFF);
        assertStatus(CF | OF | ZF | PF, c.rflags(), "shlb $1,0x80");
        // shrw $1, 0x8001: CF = 1 (bit 0), OF = MSB of the original = 1, result 0x4000.
        c = shift(Op.SHR, 2, 0x8001, 1, 0);
        assertEquals(0x4000, c.reg(Reg.RAX) & 0xFFFF);
        assertStatus(CF | OF | PF, c.rflags(), "shrw $1,0x8001");
        // sarl $1, 0x80000001: sign fill, CF = 1, OF = 0 for a 1-bit SAR.
        c = shift(Op.SAR, 4, 0x8000_0001L, 1, OF);
        assertEquals(0xC000_0000L, c.reg(Reg.RAX));
        assertStatus(CF | SF | PF, c.rflags(), "sarl $1");
        // shlq $63, 1: result 1<<63, CF = bit 1 of the source = 0; OF undefined (kept: 0), AF kept.
        c = shift(Op.SHL, 8, 1, 63, AF);
        assertEquals(1L << 63, c.reg(Reg.RAX));
        assertStatus(SF | PF | AF, c.rflags(), "shlq $63,1");
        assertEquals(OF | AF, c.undefinedFlags());
        // shll $32: the count is masked to 5 bits -> 0: nothing changes, but EAX is written (zero-extended).
        c = shift(Op.SHL, 4, UPPER, 32, STATUS);
        assertEquals(UPPER & 0xFFFF_FFFFL, c.reg(Reg.RAX));
        assertStatus(STATUS, c.rflags(), "shll $32 (masked to 0)");
        // shlq $64: masked to 0 with 6 bits.
        c = shift(Op.SHL, 8, UPPER, 64, 0);
        assertEquals(UPPER, c.reg(Reg.RAX));
        // shlb $9 (count < 32 but > 8): result 0; CF undefined for count >= size (kept: 1).
        c = shift(Op.SHL, 1, 0xFF, 9, CF);
        assertEquals(0, c.reg(Reg.RAX) & 0xFF);
        assertStatus(CF | ZF | PF, c.rflags(), "shlb $9");
        assertEquals(CF | OF | AF, c.undefinedFlags());
        // sarb $20, 0x80: all sign bits, CF = the sign (defined for SAR whatever the count).
        c = shift(Op.SAR, 1, 0x80, 20, 0);
        assertEquals(0xFF, c.reg(Reg.RAX) & 0xFF);
        assertStatus(CF | SF | PF, c.rflags(), "sarb $20");
        // rolb $8, 0x81: masked count 8 -> rotate by 8 MOD 8 = 0 (value unchanged), yet CF := LSB(DEST) = 1.
        c = shift(Op.ROL, 1, 0x81, 8, 0);
        assertEquals(0x81, c.reg(Reg.RAX) & 0xFF);
        assertStatus(CF, c.rflags(), "rolb $8");
        // rorw $1, 0x0001: 0x8000; CF = MSB = 1; OF = MSB XOR MSB-1 = 1; SF ZF AF PF untouched.
        c = shift(Op.ROR, 2, 0x0001, 1, ZF | PF);
        assertEquals(0x8000, c.reg(Reg.RAX) & 0xFFFF);
        assertStatus(CF | OF | ZF | PF, c.rflags(), "rorw $1");
        // roll $33 -> masked 1: a 1-bit rotate; OF defined.
        c = shift(Op.ROL, 4, 0x4000_0000L, 33, 0);
        assertEquals(0x8000_0000L, c.reg(Reg.RAX));
        assertStatus(OF, c.rflags(), "roll $33");
        // rolb $0x20 via %cl: masked to 0 -> flags unaffected, AL unchanged.
        c = shift(Op.ROL, 1, 0x12, 0x20, CF);
        assertEquals(0x12, c.reg(Reg.RAX) & 0xFF);
        assertStatus(CF, c.rflags(), "rolb $0x20");
    }

    @Test
    void everyCountAndEdgeValueAgainstSdmPseudocode() {
        Op[] ops = {Op.SHL, Op.SHR, Op.SAR, Op.ROL, Op.ROR};
        int[] counts = new int[72];
        for (int i = 0; i < 70; i++) {
            counts[i] = i;
        }
        counts[70] = 0xFF;
        counts[71] = 0xC1;
        for (int size : SIZES) {
            for (long a : edges(size)) {
                for (int count : counts) {
                    for (long flagsIn : new long[] {0, STATUS}) {
                        for (Op op : ops) {
                            long input = (UPPER & ~mask(size)) | a;
                            Cpu c = shiftByCl(op, size, input, count, flagsIn);
                            long[] e = oracle(op, size, a, count, flagsIn);
                            String ctx = op + " size " + size + " a=" + hex(a) + " count=" + count + " flagsIn=" + hex(flagsIn);
                            assertEquals(hex(ArithmeticFlagsTest.writeBack(input, e[0], size)), hex(c.reg(Reg.RAX)), ctx);
                            assertStatus(e[1], c.rflags(), ctx);
                            assertEquals(Fixture.hex(e[2]), Fixture.hex(c.undefinedFlags()), ctx + " undefined");
                        }
                    }
                }
            }
        }
    }

    @Test
    void memoryDestinationAndDefaultCountOfOne() {
        Cpu c = Fixture.cpu();
        c.memory().poke(0x5000, 8, 0x8000_0000_0000_0001L);
        Fixture.runToEnd(c, new TestAsm().op(Op.ROL, 8, TestAsm.abs(0x5000))); // no count: by 1
        assertEquals(3, c.memory().peek(0x5000, 8));
        // CF = LSB(DEST) = 1; OF = MSB(DEST) XOR CF = 0 XOR 1.
        assertStatus(CF | OF, c.rflags(), "rolq (mem)");
        assertEquals(1, c.memory().writeCount());

        c.memory().poke(0x5008, 4, 0x18);
        Fixture.runToEnd(c, new TestAsm().op(Op.SHR, 4, TestAsm.imm(4), TestAsm.abs(0x5008)));
        assertEquals(1, c.memory().peek(0x5008, 4));
        // Last bit shifted out is bit 3 = 1: CF; OF undefined for a 4-bit shift: kept (1).
        assertStatus(CF | OF, c.rflags(), "shrl $4 (mem)");
    }

    @Test
    void zeroCountLeavesMemoryUnwritten() {
        Cpu c = Fixture.cpu();
        Memory m = c.memory();
        m.poke(0x5000, 4, 0x1234);
        Fixture.runToEnd(c, new TestAsm().op(Op.SHL, 4, TestAsm.imm(32), TestAsm.abs(0x5000)));
        assertEquals(0, m.writeCount());
        assertEquals(0x1234, m.peek(0x5000, 4));
    }

    private static Cpu shift(Op op, int size, long value, int count, long flagsIn) {
        Cpu c = Fixture.cpu();
        c.setReg(Reg.RAX, value);
        c.setRflags(flagsIn);
        Fixture.runToEnd(c, new TestAsm().op(op, size, TestAsm.imm(count), TestAsm.reg(Reg.RAX, size)));
        return c;
    }

    private static Cpu shiftByCl(Op op, int size, long value, int count, long flagsIn) {
        Cpu c = Fixture.cpu();
        c.setReg(Reg.RAX, value);
        c.setReg(Reg.RCX, 0xABCD_0000L | count); // only CL counts
        c.setRflags(flagsIn);
        Fixture.runToEnd(c, new TestAsm().op(op, size, TestAsm.CL, TestAsm.reg(Reg.RAX, size)));
        return c;
    }

    /** {result, flags, undefined mask} per the SDM pseudo-code, undefined flags kept from flagsIn. */
    static long[] oracle(Op op, int size, long dest, int count, long flagsIn) {
        int bits = 8 * size;
        long m = mask(size);
        long msb = 1L << (bits - 1);
        int masked = count & (size == 8 ? 0x3F : 0x1F);
        if (masked == 0) {
            return new long[] {dest, flagsIn, 0}; // "If the count is 0, the flags are not affected."
        }
        long flags = flagsIn;
        long undefined = 0;
        boolean cf = (flagsIn & CF) != 0;
        long d = dest & m;
        long original = d;
        if (op == Op.ROL || op == Op.ROR) {
            for (int t = masked % bits; t > 0; t--) {
                if (op == Op.ROL) {
                    long top = (d & msb) != 0 ? 1 : 0;
                    d = ((d << 1) | top) & m;
                } else {
                    long low = d & 1;
                    d = (d >>> 1) | (low != 0 ? msb : 0);
                }
            }
            cf = op == Op.ROL ? (d & 1) != 0 : (d & msb) != 0;
            flags = set(flags, CF, cf);
            if (masked == 1) {
                boolean of = op == Op.ROL ? ((d & msb) != 0) ^ cf : ((d & msb) != 0) ^ ((d & (msb >>> 1)) != 0);
                flags = set(flags, OF, of);
            } else {
                undefined |= OF;
            }
            return new long[] {d, flags, undefined};
        }
        for (int t = masked; t > 0; t--) {
            if (op == Op.SHL) {
                cf = (d & msb) != 0;
                d = (d << 1) & m;
            } else if (op == Op.SAR) {
                cf = (d & 1) != 0;
                d = (d >>> 1) | (d & msb);
            } else {
                cf = (d & 1) != 0;
                d = d >>> 1;
            }
        }
        if ((op == Op.SHL || op == Op.SHR) && masked >= bits) {
            undefined |= CF; // "undefined for SHL and SHR ... where the count is >= the size"
        } else {
            flags = set(flags, CF, cf);
        }
        if (masked == 1) {
            boolean of = switch (op) {
                case SHL -> ((d & msb) != 0) ^ cf;
                case SAR -> false;
                default -> (original & msb) != 0;
            };
            flags = set(flags, OF, of);
        } else {
            undefined |= OF;
        }
        undefined |= AF; // "For a non-zero count, the AF flag is undefined."
        long szp = ArithmeticFlagsTest.common(d, size);
        flags = (flags & ~(SF | ZF | PF)) | szp;
        return new long[] {d, flags, undefined};
    }

    private static long set(long flags, long flag, boolean on) {
        return on ? flags | flag : flags & ~flag;
    }
}
