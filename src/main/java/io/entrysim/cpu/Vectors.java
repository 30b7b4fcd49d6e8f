package io.entrysim.cpu;

import java.util.OptionalLong;

/**
 * Exception and interrupt vectors (SDM Vol. 3A, 6.3.1 and Table 6-1): names, which push an
 * error code, and the classes Table 6-5 uses to decide when a fault during delivery becomes a
 * double fault.
 */
public final class Vectors {
    private Vectors() {}

    public static final int DE = 0, DB = 1, NMI = 2, BP = 3, OF = 4, BR = 5, UD = 6, NM = 7, DF = 8,
        TS = 10, NP = 11, SS = 12, GP = 13, PF = 14, MF = 16, AC = 17, MC = 18, XM = 19, VE = 20, CP = 21;
    /** First vector of the external (maskable) interrupts. */
    public static final int FIRST_EXTERNAL = 32;

    private static final String[] NAMES = {
        "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "vector 9", "#TS", "#NP", "#SS",
        "#GP", "#PF", "vector 15", "#MF", "#AC", "#MC", "#XM", "#VE", "#CP"};

    /** {@code "#PF"}, {@code "NMI"}, or {@code "vector 0x20"}. */
    public static String name(int vector) {
        return vector >= 0 && vector < NAMES.length ? NAMES[vector] : "vector 0x" + Integer.toHexString(vector);
    }

    /** Exceptions that push an error code: #DF #TS #NP #SS #GP #PF #AC #CP (and #VC 29, #SX 30). */
    public static boolean hasErrorCode(int vector) {
        return switch (vector) {
            case DF, TS, NP, SS, GP, PF, AC, CP, 29, 30 -> true;
            default -> false;
        };
    }

    /** Table 6-4: #DE #TS #NP #SS #GP #CP. */
    public static boolean contributory(int vector) {
        return switch (vector) {
            case DE, TS, NP, SS, GP, CP -> true;
            default -> false;
        };
    }

    /** Table 6-4: #PF and #VE. */
    public static boolean pageFaultClass(int vector) {
        return vector == PF || vector == VE;
    }

    /**
     * Table 6-5: a {@code second} exception raised while delivering {@code first} becomes #DF
     * when both are contributory, or the first is a page fault and the second a page fault or
     * contributory; otherwise the two are handled serially (the second is delivered).
     */
    public static boolean makesDoubleFault(int first, int second) {
        return (contributory(first) && contributory(second))
            || (pageFaultClass(first) && (pageFaultClass(second) || contributory(second)));
    }

    /** An exception as a {@link CpuFault} value (error code 0 when the vector pushes one). */
    public static CpuFault fault(int vector, String detail) {
        return new CpuFault(name(vector), vector, 0, hasErrorCode(vector), OptionalLong.empty(), detail);
    }
}
