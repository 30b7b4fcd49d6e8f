package io.entrysim.isa;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The one table of x86-64 register names, as GNU as spells them after {@code %} (lower case):
 * every name the parser accepts, the general-purpose registers with their hardware number, size
 * and high-byte flag, the control and segment registers. Register numbers are the ModRM/REX
 * numbering ({@code rax} 0 ... {@code r15} 15).
 */
public final class RegisterNames {
    private RegisterNames() {}

    /** Number of general-purpose registers. */
    public static final int GPR_COUNT = 16;

    /**
     * A general-purpose register as written: {@code number} is the hardware number, {@code size}
     * 1, 2, 4 or 8 bytes; {@code highByte} marks %ah/%ch/%dh/%bh (number 0..3, size 1).
     */
    public record GprName(int number, int size, boolean highByte) {}

    private static final String[] LEGACY = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di"};
    private static final String[] LOW8 = {"al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil"};
    private static final String[] HIGH8 = {"ah", "ch", "dh", "bh"};
    private static final Set<String> SEGMENTS = Set.of("es", "cs", "ss", "ds", "fs", "gs");

    private static final Map<String, GprName> GPRS = new HashMap<>();
    private static final Set<String> ALL = new HashSet<>();
    private static final String[] NAMES64 = new String[GPR_COUNT];

    static {
        for (int n = 0; n < GPR_COUNT; n++) {
            NAMES64[n] = gprName(n, 8, false);
        }
        for (int n = 0; n < GPR_COUNT; n++) {
            for (int size : new int[] {8, 4, 2, 1}) {
                GPRS.put(gprName(n, size, false), new GprName(n, size, false));
            }
        }
        for (int n = 0; n < HIGH8.length; n++) {
            GPRS.put(HIGH8[n], new GprName(n, 1, true));
        }
        ALL.addAll(GPRS.keySet());
        ALL.addAll(SEGMENTS);
        ALL.addAll(Set.of("rip", "eip", "riz", "eiz", "st")); // %riz: gas's "no index" pseudo register in long nops
        for (int i = 0; i < 16; i++) {
            ALL.add("cr" + i);
            ALL.add("dr" + i);
            ALL.add("db" + i);
        }
        for (int i = 0; i < 32; i++) {
            ALL.add("xmm" + i);
            ALL.add("ymm" + i);
            ALL.add("zmm" + i);
        }
        for (int i = 0; i < 8; i++) {
            ALL.add("mm" + i);
            ALL.add("k" + i);
            ALL.add("tmm" + i);
        }
        for (int i = 0; i < 4; i++) {
            ALL.add("bnd" + i);
        }
    }

    /** Whether {@code name} (without {@code %}, any case) is a register name gas accepts. */
    public static boolean isRegister(String name) {
        return ALL.contains(name) || ALL.contains(name.toLowerCase(java.util.Locale.ROOT));
    }

    /** Every register name gas accepts after {@code %} that entrysim recognises. */
    public static Set<String> all() {
        return Collections.unmodifiableSet(ALL);
    }

    /** %es %cs %ss %ds %fs %gs. */
    public static boolean isSegment(String name) {
        return SEGMENTS.contains(name);
    }

    /** The segment register names. */
    public static Set<String> segments() {
        return Collections.unmodifiableSet(SEGMENTS);
    }

    /** The general-purpose register called {@code name} ("rax", "r9d", "ah"); null when not one. */
    public static GprName gpr(String name) {
        return GPRS.get(name);
    }

    /** The name of a general-purpose register of {@code size} bytes ("rax", "r9d", "ah", "sil"). */
    public static String gprName(int number, int size, boolean highByte) {
        if (highByte) {
            if (size != 1 || number < 0 || number >= HIGH8.length) {
                throw new IllegalArgumentException("no high-byte register " + number);
            }
            return HIGH8[number];
        }
        if (number < 0 || number >= GPR_COUNT) {
            throw new IllegalArgumentException("no register " + number);
        }
        if (number >= 8) {
            return switch (size) {
                case 8 -> "r" + number;
                case 4 -> "r" + number + "d";
                case 2 -> "r" + number + "w";
                case 1 -> "r" + number + "b";
                default -> throw new IllegalArgumentException("no " + size + "-byte register");
            };
        }
        return switch (size) {
            case 8 -> "r" + LEGACY[number];
            case 4 -> "e" + LEGACY[number];
            case 2 -> LEGACY[number];
            case 1 -> LOW8[number];
            default -> throw new IllegalArgumentException("no " + size + "-byte register");
        };
    }

    /** The 64-bit name of register {@code number} ("rax", "r8"). */
    public static String name64(int number) {
        return NAMES64[number];
    }

    /** The number of a 64-bit register name ("rax", "r8"), or -1. */
    public static int number64(String name) {
        GprName g = GPRS.get(name);
        return g != null && g.size() == 8 ? g.number() : -1;
    }

    /**
     * The number of a control register x86-64 defines (%cr0, %cr2, %cr3, %cr4, %cr8); -1 for any
     * other name (gas also accepts %cr1, %cr5 ... %cr15, which are reserved).
     */
    public static int controlRegister(String name) {
        return switch (name) {
            case "cr0" -> 0;
            case "cr2" -> 2;
            case "cr3" -> 3;
            case "cr4" -> 4;
            case "cr8" -> 8;
            default -> -1;
        };
    }
}
