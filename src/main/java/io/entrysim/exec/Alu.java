package io.entrysim.exec;

import static io.entrysim.cpu.Flags.AF;
import static io.entrysim.cpu.Flags.CF;
import static io.entrysim.cpu.Flags.OF;
import static io.entrysim.cpu.Flags.PF;
import static io.entrysim.cpu.Flags.SF;
import static io.entrysim.cpu.Flags.STATUS;
import static io.entrysim.cpu.Flags.ZF;

import io.entrysim.cpu.Cpu;

/**
 * Results and status flags of the arithmetic, logic, shift, rotate and bit-test instructions,
 * exactly per the SDM's Operation/Flags Affected sections. Each operation returns its result and
 * leaves the new flags pending; {@link #commit()} applies them after the destination was written,
 * so a faulting store leaves RFLAGS untouched. Operands are zero-extended values of {@code size}
 * bytes; results likewise.
 */
final class Alu {
    private final Cpu cpu;
    FlagAudit audit;
    private long pendingFlags;
    private long pendingAffected;
    private long pendingUndefined;

    Alu(Cpu cpu) {
        this.cpu = cpu;
    }

    static long mask(int size) {
        return size == 8 ? -1L : (1L << (size << 3)) - 1;
    }

    static long signBit(int size) {
        return 1L << ((size << 3) - 1);
    }

    static long signExtend(long value, int size) {
        int shift = 64 - (size << 3);
        return (value << shift) >> shift;
    }

    /** SF, ZF, PF of a result; PF looks at the low byte only (even number of ones: PF=1). */
    static long szp(long r, int size) {
        long f = (Long.bitCount(r & 0xFF) & 1) == 0 ? PF : 0;
        if (r == 0) {
            f |= ZF;
        }
        if ((r & signBit(size)) != 0) {
            f |= SF;
        }
        return f;
    }

    void commit() {
        cpu.updateFlags(pendingFlags, pendingAffected, pendingUndefined);
        if (audit != null && pendingUndefined != 0) {
            audit.undefined(pendingUndefined);
        }
    }

    /** Flags {@code affected} get {@code values}; of those, {@code undefined} keep their old value. */
    private void pend(long values, long affected, long undefined) {
        long defined = affected & ~undefined;
        pendingFlags = (cpu.rflags() & ~defined) | (values & defined);
        pendingAffected = affected;
        pendingUndefined = undefined;
    }

    // ---- ADD ADC SUB SBB CMP NEG INC DEC

    /** ADD/ADC: {@code a + b + carryIn}. CF = carry out of the top bit, AF = carry out of bit 3. */
    long add(long a, long b, long carryIn, int size) {
        long r = (a + b + carryIn) & mask(size);
        pend(addFlags(a, b, r, size), STATUS, 0);
        return r;
    }

    /** SUB/SBB/CMP: {@code a - b - borrowIn}. CF = borrow into the top bit, AF = borrow from bit 4. */
    long sub(long a, long b, long borrowIn, int size) {
        long r = (a - b - borrowIn) & mask(size);
        pend(subFlags(a, b, r, size), STATUS, 0);
        return r;
    }

    /** NEG: 0 - a; "CF flag set to 0 if the source operand is 0; otherwise it is set to 1". */
    long neg(long a, int size) {
        long r = -a & mask(size);
        pend(subFlags(0, a, r, size), STATUS, 0);
        return r;
    }

    /** INC: like ADD 1 but "The CF flag is not affected." */
    long inc(long a, int size) {
        long r = (a + 1) & mask(size);
        pend(addFlags(a, 1, r, size), STATUS & ~CF, 0);
        return r;
    }

    /** DEC: like SUB 1 but "The CF flag is not affected." */
    long dec(long a, int size) {
        long r = (a - 1) & mask(size);
        pend(subFlags(a, 1, r, size), STATUS & ~CF, 0);
        return r;
    }

    private static long addFlags(long a, long b, long r, int size) {
        long sb = signBit(size);
        long f = szp(r, size) | ((a ^ b ^ r) & AF);
        if ((((a & b) | ((a | b) & ~r)) & sb) != 0) {
            f |= CF;
        }
        if (((a ^ r) & (b ^ r) & sb) != 0) {
            f |= OF;
        }
        return f;
    }

    private static long subFlags(long a, long b, long r, int size) {
        long sb = signBit(size);
        long f = szp(r, size) | ((a ^ b ^ r) & AF);
        if ((((~a & b) | ((~a | b) & r)) & sb) != 0) {
            f |= CF;
        }
        if (((a ^ b) & (a ^ r) & sb) != 0) {
            f |= OF;
        }
        return f;
    }

    // ---- AND OR XOR TEST

    /** "The OF and CF flags are cleared; the SF, ZF, and PF flags are set ...; AF is undefined." */
    long logic(long r, int size) {
        pend(szp(r, size), STATUS, UndefinedFlags.LOGIC);
        return r;
    }

    // ---- shifts; count is already masked (5 bits, 6 for 64-bit operands) and non-zero

    long shl(long a, int count, int size) {
        int bits = size << 3;
        long r = count < bits ? (a << count) & mask(size) : 0;
        long undefined = UndefinedFlags.SHIFT;
        long f = szp(r, size);
        if (count < bits) {
            f |= (a >>> (bits - count)) & 1; // CF: the last bit shifted out
        } else {
            undefined |= UndefinedFlags.WIDE_SHIFT;
        }
        if (count == 1) {
            f |= ((r & signBit(size)) != 0) != ((f & CF) != 0) ? OF : 0; // OF = MSB(result) XOR CF
        } else {
            undefined |= UndefinedFlags.MULTI_BIT_SHIFT_OR_ROTATE;
        }
        pend(f, STATUS, undefined);
        return r;
    }

    long shr(long a, int count, int size) {
        int bits = size << 3;
        long r = count < bits ? a >>> count : 0;
        long undefined = UndefinedFlags.SHIFT;
        long f = szp(r, size);
        if (count < bits) {
            f |= (a >>> (count - 1)) & 1;
        } else {
            undefined |= UndefinedFlags.WIDE_SHIFT;
        }
        if (count == 1) {
            f |= (a & signBit(size)) != 0 ? OF : 0; // OF = MSB of the original operand
        } else {
            undefined |= UndefinedFlags.MULTI_BIT_SHIFT_OR_ROTATE;
        }
        pend(f, STATUS, undefined);
        return r;
    }

    long sar(long a, int count, int size) {
        long signed = signExtend(a, size);
        long r = (signed >> count) & mask(size); // count <= 63; for count >= bits: all sign bits
        long f = szp(r, size) | ((signed >> (count - 1)) & 1); // CF defined for every count
        long undefined = UndefinedFlags.SHIFT;
        if (count != 1) {
            undefined |= UndefinedFlags.MULTI_BIT_SHIFT_OR_ROTATE; // count 1: OF cleared
        }
        pend(f, STATUS, undefined);
        return r;
    }

    // ---- rotates; count is the masked count, non-zero. SDM: tempCOUNT = masked count MOD size.

    long rol(long a, int count, int size) {
        int bits = size << 3;
        int rot = count & (bits - 1);
        long r = rot == 0 ? a : ((a << rot) | (a >>> (bits - rot))) & mask(size);
        long f = r & 1; // CF = LSB(DEST), even when the rotation is a whole turn
        long undefined = 0;
        if (count == 1) {
            f |= ((r & signBit(size)) != 0) != (f != 0) ? OF : 0; // OF = MSB(DEST) XOR CF
        } else {
            undefined = UndefinedFlags.MULTI_BIT_SHIFT_OR_ROTATE;
        }
        pend(f, CF | OF, undefined);
        return r;
    }

    long ror(long a, int count, int size) {
        int bits = size << 3;
        int rot = count & (bits - 1);
        long r = rot == 0 ? a : ((a >>> rot) | (a << (bits - rot))) & mask(size);
        long sb = signBit(size);
        boolean msb = (r & sb) != 0;
        long f = msb ? CF : 0; // CF = MSB(DEST)
        long undefined = 0;
        if (count == 1) {
            f |= msb != ((r & (sb >>> 1)) != 0) ? OF : 0; // OF = MSB(DEST) XOR MSB-1(DEST)
        } else {
            undefined = UndefinedFlags.MULTI_BIT_SHIFT_OR_ROTATE;
        }
        pend(f, CF | OF, undefined);
        return r;
    }

    // ---- others

    /** BT*: CF = the selected bit; OF SF AF PF undefined; ZF unaffected. */
    void bitTest(long bit) {
        pend(bit != 0 ? CF : 0, CF | UndefinedFlags.BIT_TEST, UndefinedFlags.BIT_TEST);
    }

    /** CLC/STC/CMC: CF gets {@code cf}; nothing else changes. */
    void carry(boolean cf) {
        pend(cf ? CF : 0, CF, 0);
    }

    /** VERR/VERW/LAR/LSL: ZF gets {@code zf}; nothing else changes. */
    void zero(boolean zf) {
        pend(zf ? ZF : 0, ZF, 0);
    }

    /** Leaves {@code flags} undefined (values unchanged): MOV to/from a control register. */
    void undefine(long flags) {
        pend(0, flags, flags);
    }
}
