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
import static io.entrysim.exec.Fixture.binary;
import static io.entrysim.exec.Fixture.edges;
import static io.entrysim.exec.Fixture.hex;
import static io.entrysim.exec.Fixture.mask;
import static io.entrysim.exec.Fixture.unary;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.entrysim.assemble.Op;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Reg;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/**
 * ADD ADC SUB SBB CMP NEG INC DEC: results and all six status flags. Hand-worked rows first, then
 * every pair of edge values at every size against an oracle written from the SDM's flag
 * definitions (Vol. 1, 3.4.3.1) in unbounded integers: CF = carry/borrow out of the top bit,
 * OF = signed result out of range, AF = carry/borrow out of bit 3, PF = even parity of the low byte.
 */
class ArithmeticFlagsTest {
    private static final long[] CARRY_INS = {0, CF};
    /** Garbage above the operand, to check 8/16-bit merges and 32-bit zero-extension. */
    private static final long UPPER = 0x1234_5678_9ABC_DEF0L;

    @Test
    void handWorkedRows() {
        // ADD 0x7F + 1 (byte): 0x80; signed overflow (127+1), carry from bit 3, one bit set: odd parity.
        Cpu c = binary(Op.ADD, 1, 0x7F, 1, 0);
        assertEquals(0x80, c.reg(Reg.RAX));
        assertStatus(OF | SF | AF, c.rflags(), "addb 0x7f+1");
        // ADD -1 + 1 (quad): 0 with carry out, AF from the low nibble, zero byte has even parity.
        c = binary(Op.ADD, 8, -1, 1, 0);
        assertEquals(0, c.reg(Reg.RAX));
        assertStatus(CF | ZF | AF | PF, c.rflags(), "addq -1+1");
        // SUB 0 - 1 (long): borrow; 0xFFFFFFFF zero-extended into RAX; low byte 0xFF has 8 ones: PF=1.
        c = binary(Op.SUB, 4, UPPER & ~0xFFFF_FFFFL, 1, 0);
        assertEquals(0xFFFF_FFFFL, c.reg(Reg.RAX));
        assertStatus(CF | SF | AF | PF, c.rflags(), "subl 0-1");
        // SUB 0x80 - 1 (byte): -128-1 overflows to 0x7F; 7 ones: PF=0.
        c = binary(Op.SUB, 1, 0x80, 1, 0);
        assertEquals(0x7F, c.reg(Reg.RAX));
        assertStatus(OF | AF, c.rflags(), "subb 0x80-1");
        // PF looks at the low byte only: 0x100 has a zero low byte.
        c = binary(Op.ADD, 4, 0x100, 0, 0);
        assertStatus(PF, c.rflags(), "addl 0x100+0");
        c = binary(Op.ADD, 4, 0x101, 0, 0);
        assertStatus(0, c.rflags(), "addl 0x101+0");
        // ADC with CF=1: 0xFF + 0 + 1 = 0x100 -> 0 with carry, AF from the nibble carry.
        c = binary(Op.ADC, 1, 0xFF, 0, CF);
        assertEquals(0, c.reg(Reg.RAX) & 0xFF);
        assertStatus(CF | ZF | AF | PF, c.rflags(), "adcb 0xff+0+1");
        // ADC 64-bit, b = -1 and CF=1: a + 2^64 -> a, with carry out (the case a naive a+b<a test misses).
        c = binary(Op.ADC, 8, 5, -1, CF);
        assertEquals(5, c.reg(Reg.RAX));
        assertStatus(CF | PF | AF, c.rflags(), "adcq 5+(-1)+1");
        // SBB with CF=1: 0 - 0 - 1 = -1 with borrow.
        c = binary(Op.SBB, 8, 0, 0, CF);
        assertEquals(-1L, c.reg(Reg.RAX));
        assertStatus(CF | SF | AF | PF, c.rflags(), "sbbq 0-0-1");
        // CMP sets flags like SUB and writes nothing.
        c = binary(Op.CMP, 2, UPPER, 0xDEF0, 0);
        assertEquals(UPPER, c.reg(Reg.RAX));
        assertStatus(ZF | PF, c.rflags(), "cmpw equal");
        // NEG 0: CF=0 ("set to 0 if the source operand is 0"), ZF, PF.
        c = unary(Op.NEG, 4, 0, CF | OF);
        assertEquals(0, c.reg(Reg.RAX));
        assertStatus(ZF | PF, c.rflags(), "negl 0");
        // NEG of the most negative byte overflows and stays 0x80.
        c = unary(Op.NEG, 1, 0x80, 0);
        assertEquals(0x80, c.reg(Reg.RAX));
        assertStatus(CF | OF | SF, c.rflags(), "negb 0x80");
        // INC 0x7FFF (word): overflow into the sign; CF is not affected (stays 1 here).
        c = unary(Op.INC, 2, 0x7FFF, CF);
        assertEquals(0x8000, c.reg(Reg.RAX));
        assertStatus(CF | OF | SF | AF | PF, c.rflags(), "incw 0x7fff");
        // DEC 0 (long): wraps to 0xFFFFFFFF; CF not affected (stays 0).
        c = unary(Op.DEC, 4, 0, 0);
        assertEquals(0xFFFF_FFFFL, c.reg(Reg.RAX));
        assertStatus(SF | AF | PF, c.rflags(), "decl 0");
    }

    @Test
    void addAdcSubSbbCmpAgainstOracleAtEverySize() {
        for (int size : SIZES) {
            for (long a : edges(size)) {
                for (long b : edges(size)) {
                    for (long cin : CARRY_INS) {
                        check(Op.ADD, size, a, b, cin, 0);
                        check(Op.ADC, size, a, b, cin, cin);
                        check(Op.SUB, size, a, b, cin, 0);
                        check(Op.SBB, size, a, b, cin, cin);
                        check(Op.CMP, size, a, b, cin, 0);
                    }
                }
            }
        }
    }

    @Test
    void negIncDecAgainstOracleAtEverySize() {
        for (int size : SIZES) {
            for (long a : edges(size)) {
                for (long cin : CARRY_INS) {
                    long input = (UPPER & ~mask(size)) | a;
                    Cpu c = unary(Op.NEG, size, input, cin);
                    long[] e = subtract(size, 0, a, 0);
                    expect("neg", size, a, 0, cin, input, e[0], e[1], STATUS, c);

                    c = unary(Op.INC, size, input, cin);
                    e = add(size, a, 1, 0);
                    expect("inc", size, a, 1, cin, input, e[0], (e[1] & ~CF) | cin, STATUS, c);

                    c = unary(Op.DEC, size, input, cin);
                    e = subtract(size, a, 1, 0);
                    expect("dec", size, a, 1, cin, input, e[0], (e[1] & ~CF) | cin, STATUS, c);
                }
            }
        }
    }

    @Test
    void arithmeticDefinesAllStatusFlags() {
        Cpu c = Fixture.cpu();
        c.setUndefinedFlags(STATUS);
        Fixture.runToEnd(c, new TestAsm().op(Op.ADD, 8, TestAsm.imm(1), TestAsm.r64(Reg.RAX)));
        assertEquals(0, c.undefinedFlags());
        c.setUndefinedFlags(STATUS);
        Fixture.runToEnd(c, new TestAsm().op(Op.INC, 8, TestAsm.r64(Reg.RAX)));
        assertEquals(CF, c.undefinedFlags(), "INC does not touch CF, so its state is kept");
    }

    private void check(Op op, int size, long a, long b, long flagsIn, long carry) {
        long input = (UPPER & ~mask(size)) | a;
        Cpu c = binary(op, size, input, b, flagsIn);
        long[] e = op == Op.ADD || op == Op.ADC ? add(size, a, b, carry) : subtract(size, a, b, carry);
        long rax = op == Op.CMP ? input : writeBack(input, e[0], size); // CMP writes nothing
        expectRaw(op.name().toLowerCase(), size, a, b, flagsIn, rax, e[1], STATUS, c);
    }

    private static void expect(String what, int size, long a, long b, long flagsIn, long input,
                               long result, long flags, long flagMask, Cpu c) {
        expectRaw(what, size, a, b, flagsIn, writeBack(input, result, size), flags, flagMask, c);
    }

    private static void expectRaw(String what, int size, long a, long b, long flagsIn, long rax,
                                  long flags, long flagMask, Cpu c) {
        String ctx = what + " size " + size + " a=" + hex(a) + " b=" + hex(b) + " flagsIn=" + hex(flagsIn);
        assertEquals(hex(rax), hex(c.reg(Reg.RAX)), ctx);
        assertStatus(flags & flagMask, c.rflags(), ctx);
    }

    /** What a register holds after writing {@code result} at {@code size} over {@code old}. */
    static long writeBack(long old, long result, int size) {
        return switch (size) {
            case 8 -> result;
            case 4 -> result & 0xFFFF_FFFFL;
            default -> (old & ~mask(size)) | (result & mask(size));
        };
    }

    // ---- oracle: the SDM definitions over unbounded integers

    private static BigInteger unsigned(long v, int size) {
        return new BigInteger(Long.toUnsignedString(v & mask(size)));
    }

    private static BigInteger signed(long v, int size) {
        int shift = 64 - 8 * size;
        return BigInteger.valueOf((v << shift) >> shift);
    }

    /** {result, flags} of a + b + carry. */
    static long[] add(int size, long a, long b, long carry) {
        int bits = 8 * size;
        BigInteger us = unsigned(a, size).add(unsigned(b, size)).add(BigInteger.valueOf(carry));
        BigInteger ss = signed(a, size).add(signed(b, size)).add(BigInteger.valueOf(carry));
        long r = us.longValue() & mask(size);
        long f = common(r, size);
        if (us.bitLength() > bits) {
            f |= CF;
        }
        if (ss.compareTo(BigInteger.ONE.shiftLeft(bits - 1)) >= 0 || ss.compareTo(BigInteger.ONE.shiftLeft(bits - 1).negate()) < 0) {
            f |= OF;
        }
        if ((a & 0xF) + (b & 0xF) + carry > 0xF) {
            f |= AF;
        }
        return new long[] {r, f};
    }

    /** {result, flags} of a - b - borrow. */
    static long[] subtract(int size, long a, long b, long borrow) {
        int bits = 8 * size;
        BigInteger ud = unsigned(a, size).subtract(unsigned(b, size)).subtract(BigInteger.valueOf(borrow));
        BigInteger sd = signed(a, size).subtract(signed(b, size)).subtract(BigInteger.valueOf(borrow));
        long r = ud.longValue() & mask(size);
        long f = common(r, size);
        if (ud.signum() < 0) {
            f |= CF;
        }
        if (sd.compareTo(BigInteger.ONE.shiftLeft(bits - 1)) >= 0 || sd.compareTo(BigInteger.ONE.shiftLeft(bits - 1).negate()) < 0) {
            f |= OF;
        }
        if ((a & 0xF) < (b & 0xF) + borrow) {
            f |= AF;
        }
        return new long[] {r, f};
    }

    /** SF = top bit, ZF = zero, PF = even number of ones in the low byte. */
    static long common(long r, int size) {
        long f = 0;
        if (r == 0) {
            f |= ZF;
        }
        if (((r >>> (8 * size - 1)) & 1) != 0) {
            f |= SF;
        }
        if (Integer.bitCount((int) (r & 0xFF)) % 2 == 0) {
            f |= PF;
        }
        return f;
    }
}
