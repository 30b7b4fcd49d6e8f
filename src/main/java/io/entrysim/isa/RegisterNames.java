package io.entrysim.isa;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The x86-64 register names gas knows (written after {@code %} in AT&amp;T syntax): general
 * registers of every width, segment, control, debug, x87, MMX, SSE/AVX/AVX-512, mask, MPX bound
 * and AMX tile registers, and the address-only {@code rip}/{@code eip}/{@code riz}/{@code eiz}.
 * Architecture facts shared by the parser (what {@code %name} may be) and the assembler (a bare
 * symbol spelled like one is a mistake, never a function to stub).
 */
public final class RegisterNames {
    private RegisterNames() {}

    private static final Set<String> SEGMENTS = Set.of("es", "cs", "ss", "ds", "fs", "gs");
    private static final Set<String> ALL = build();

    private static Set<String> build() {
        Set<String> b = new HashSet<>();
        String[] legacy = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di"};
        for (String r : legacy) {
            b.add("r" + r);
            b.add("e" + r);
            b.add(r);
        }
        b.addAll(Set.of("al", "cl", "dl", "bl", "ah", "ch", "dh", "bh", "spl", "bpl", "sil", "dil"));
        for (int i = 8; i < 16; i++) {
            b.addAll(Set.of("r" + i, "r" + i + "d", "r" + i + "w", "r" + i + "b"));
        }
        b.addAll(SEGMENTS);
        b.addAll(Set.of("rip", "eip", "riz", "eiz", "st")); // %riz: gas's "no index" pseudo register in long nops
        for (int i = 0; i < 16; i++) {
            b.addAll(Set.of("cr" + i, "dr" + i, "db" + i));
        }
        for (int i = 0; i < 32; i++) {
            b.addAll(Set.of("xmm" + i, "ymm" + i, "zmm" + i));
        }
        for (int i = 0; i < 8; i++) {
            b.addAll(Set.of("mm" + i, "k" + i, "tmm" + i));
        }
        for (int i = 0; i < 4; i++) {
            b.add("bnd" + i);
        }
        return Set.copyOf(b);
    }

    /** Whether {@code name} (without '%', any case) is a register name. */
    public static boolean isRegister(String name) {
        return ALL.contains(name.toLowerCase(Locale.ROOT));
    }

    /** Whether {@code name} (lower-case, without '%') is a segment register. */
    public static boolean isSegment(String name) {
        return SEGMENTS.contains(name);
    }
}
