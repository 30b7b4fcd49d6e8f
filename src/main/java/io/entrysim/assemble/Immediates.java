package io.entrysim.assemble;

import io.entrysim.assemble.Encoding.Request;

/**
 * Whether gas gives an immediate the sign-extended 8-bit form (0x83, 0x6a): only a constant known
 * at that point of the source, and only after gas's own folding of unsigned values to the operand
 * size (its {@code optimize_imm}): a 16-bit operation takes $0xffe0 as -32, a 32-bit one
 * $0xffffffff as -1, while a value beyond the operand size keeps the wide form (and is shortened).
 */
final class Immediates {
    private Immediates() {}

    /** {@code value}: the immediate operand as decoded (the request's written value wins). */
    static boolean imm8(Request r, long value, int size) {
        if (r.immSymbolic()) {
            return false;
        }
        long v = r.writtenImm() != null ? r.writtenImm() : value;
        if (size == 2 && v >= 0 && v <= 0xffff) {
            v = (short) v;
        }
        if ((size == 2 || size == 4) && v >= 0 && v <= 0xffff_ffffL) {
            v = (int) v;
        }
        return v == (byte) v;
    }

    /** The width of the full-size immediate of an operation of {@code size} bytes (imm32 for 64-bit). */
    static int full(int size) {
        return Math.min(size, 4);
    }
}
