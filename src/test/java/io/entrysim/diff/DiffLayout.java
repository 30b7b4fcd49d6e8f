package io.entrysim.diff;

import io.entrysim.cpu.Flags;

/**
 * The address space both sides share: one buffer mapped at a fixed low address (the native driver
 * maps it with MAP_FIXED_NOREPLACE), holding the data every generated memory operand addresses and,
 * near its top, the stack %rsp points into. Also the buffer's initial contents, a SplitMix64
 * stream that the C driver computes identically from the same seed, so only seeds cross processes.
 */
final class DiffLayout {
    private DiffLayout() {}

    static final long BUFFER_BASE = 0x1000_0000L;
    /** Two pages, so accesses crossing the page boundary at offset 4096 happen too. */
    static final int BUFFER_SIZE = 8192;
    /**
     * Initial %rsp. Generated programs keep the stack within [-128, +384] bytes of it; shrinking
     * (which drops pushes or pops) can move that by at most another 512, still inside the buffer.
     */
    static final long INITIAL_RSP = BUFFER_BASE + 7168;

    /** What is compared in RFLAGS: the six status flags, DF, and ID (which POPF can write from user mode). */
    static final long COMPARED_FLAGS = Flags.STATUS | Flags.DF | Flags.ID;

    static long splitmix(long[] state) {
        long z = (state[0] += 0x9E37_79B9_7F4A_7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }

    /** The initial buffer: random qwords, about 1/8 of them 0 and 1/8 all-ones (same rule as the C driver). */
    static byte[] initialBuffer(long seed) {
        byte[] b = new byte[BUFFER_SIZE];
        long[] state = {seed};
        for (int i = 0; i < BUFFER_SIZE; i += 8) {
            long w = splitmix(state);
            int top = (int) (w >>> 61);
            if (top == 0) {
                w = 0;
            } else if (top == 7) {
                w = -1;
            }
            for (int k = 0; k < 8; k++) {
                b[i + k] = (byte) (w >>> (8 * k));
            }
        }
        return b;
    }
}
