package io.entrysim.assemble;

/**
 * The bytes GNU as 2.40 (x86-64) fills alignment padding with in a code section when no fill
 * byte (or 0x90) is given: the longest NOPs first (11 bytes, {@code 66 66 2e 0f 1f 84 00 ...}),
 * then one NOP of the remaining length; from 88 bytes on, a {@code jmp} over the padding first
 * ({@code eb rel8}, or {@code e9 rel32} past 129 bytes), then NOPs. Checked byte for byte against
 * {@code as} for every length (see NopPaddingTest).
 */
final class NopPadding {
    private NopPadding() {}

    /** gas's NOP of each length 1..11. */
    private static final byte[][] NOPS = {
        {},
        of(0x90),
        of(0x66, 0x90),
        of(0x0f, 0x1f, 0x00),
        of(0x0f, 0x1f, 0x40, 0x00),
        of(0x0f, 0x1f, 0x44, 0x00, 0x00),
        of(0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00),
        of(0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00),
        of(0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00),
        of(0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00),
        of(0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00),
        of(0x66, 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00),
    };
    private static final int LONGEST = 11;
    /** From this many bytes on gas jumps over the padding instead of running through it. */
    static final int JUMP_FROM = 88;

    static byte[] bytes(int count) {
        byte[] out = new byte[count];
        int at = 0;
        if (count >= JUMP_FROM) {
            int rest = count - 2;
            if (rest <= 127) {
                out[0] = (byte) 0xeb;
                out[1] = (byte) rest;
                at = 2;
            } else {
                rest = count - 5;
                out[0] = (byte) 0xe9;
                for (int i = 0; i < 4; i++) {
                    out[1 + i] = (byte) (rest >>> (8 * i));
                }
                at = 5;
            }
        }
        while (at < count) {
            int n = Math.min(LONGEST, count - at);
            System.arraycopy(NOPS[n], 0, out, at, n);
            at += n;
        }
        return out;
    }

    private static byte[] of(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
