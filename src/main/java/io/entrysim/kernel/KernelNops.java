package io.entrysim.kernel;

/**
 * The NOPs the kernel writes when it patches code ({@code add_nops()} with the P6 table that
 * x86-64 kernels use: {@code p6_nops} in 4.x, {@code x86_nops} in 6.x): the longest NOP up to 8
 * bytes, repeated. Not gas's padding NOPs ({@code assemble.NopPadding}), which differ from 9 bytes on.
 */
final class KernelNops {
    private static final int[][] NOPS = {
        {},
        {0x90},
        {0x66, 0x90},
        {0x0f, 0x1f, 0x00},
        {0x0f, 0x1f, 0x40, 0x00},
        {0x0f, 0x1f, 0x44, 0x00, 0x00},
        {0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00},
        {0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00},
        {0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00},
    };

    private KernelNops() {}

    /** Fills {@code out[from, from+count)} with NOPs. */
    static void fill(byte[] out, int from, int count) {
        while (count > 0) {
            int n = Math.min(count, NOPS.length - 1);
            for (int k = 0; k < n; k++) {
                out[from + k] = (byte) NOPS[n][k];
            }
            from += n;
            count -= n;
        }
    }

    /** True when {@code bytes[at, at+length)} is exactly the kernel's (or gas's) NOP of that length. */
    static boolean isNop(byte[] bytes, int at, int length) {
        if (length <= 0 || length >= NOPS.length || at + length > bytes.length) {
            return false;
        }
        for (int k = 0; k < length; k++) {
            if ((bytes[at + k] & 0xff) != NOPS[length][k]) {
                return false;
            }
        }
        return true;
    }
}
