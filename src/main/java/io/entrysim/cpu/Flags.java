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

    public static final long IOPL = 3L << 12;
    public static final long NT = 1L << 14;
    public static final long RF = 1L << 16;
    public static final long VM = 1L << 17;
    public static final long VIF = 1L << 19;
    public static final long VIP = 1L << 20;
    public static final long ID = 1L << 21;

    /** The six arithmetic status flags. */
    public static final long STATUS = CF | PF | AF | ZF | SF | OF;

    /** Every architecturally defined RFLAGS bit; the rest are reserved (bit 1 reads 1, others 0). */
    public static final long DEFINED = STATUS | TF | IF | DF | IOPL | NT | RF | VM | AC | VIF | VIP | ID;

    private static final long[] NAMED = {CF, PF, AF, ZF, SF, TF, IF, DF, OF, NT, RF, VM, AC, VIF, VIP, ID};
    private static final String[] NAMES = {
        "CF", "PF", "AF", "ZF", "SF", "TF", "IF", "DF", "OF", "NT", "RF", "VM", "AC", "VIF", "VIP", "ID"};

    /** The flags set in {@code mask}, gdb-style in bit order, e.g. {@code "CF ZF"}; IOPL as {@code IOPL=n}. */
    public static String names(long mask) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < NAMED.length; i++) {
            if ((mask & NAMED[i]) != 0) {
                sb.append(sb.length() == 0 ? "" : " ").append(NAMES[i]);
            }
        }
        long iopl = (mask & IOPL) >>> 12;
        if (iopl != 0) {
            sb.append(sb.length() == 0 ? "" : " ").append("IOPL=").append(iopl);
        }
        return sb.toString();
    }
}
