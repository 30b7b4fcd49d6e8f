package io.entrysim.cpu;

/** RFLAGS bit masks (Intel SDM Vol. 1, 3.4.3). */
public final class Flags {
    private Flags() {}

    public static final long CF = 1L << 0;
    public static final long FIXED1 = 1L << 1; // reserved, always reads as 1
    public static final long PF = 1L << 2;
    public static final long AF = 1L << 4;
    public static final long ZF = 1L << 6;
    public static final long SF = 1L << 7;
    public static final long TF = 1L << 8;
    public static final long IF = 1L << 9;
    public static final long DF = 1L << 10;
    public static final long OF = 1L << 11;
    public static final long AC = 1L << 18;

    /** The six arithmetic status flags. */
    public static final long STATUS = CF | PF | AF | ZF | SF | OF;
}
