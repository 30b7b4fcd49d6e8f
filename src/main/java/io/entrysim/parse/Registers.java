package io.entrysim.parse;

import com.google.common.collect.ImmutableSet;

/** The x86-64 register names gas accepts after '%' that entrysim cares to recognise. */
final class Registers {
    private Registers() {}

    static final ImmutableSet<String> SEGMENTS = ImmutableSet.of("es", "cs", "ss", "ds", "fs", "gs");

    private static final ImmutableSet<String> ALL = build();

    private static ImmutableSet<String> build() {
        ImmutableSet.Builder<String> b = ImmutableSet.builder();
        String[] legacy = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di"};
        for (String r : legacy) {
            b.add("r" + r, "e" + r, r);
        }
        b.add("al", "cl", "dl", "bl", "ah", "ch", "dh", "bh", "spl", "bpl", "sil", "dil");
        for (int i = 8; i < 16; i++) {
            b.add("r" + i, "r" + i + "d", "r" + i + "w", "r" + i + "b");
        }
        b.addAll(SEGMENTS);
        b.add("rip", "eip", "riz", "eiz"); // %riz: gas's "no index" pseudo register in long nops
        for (int i = 0; i < 16; i++) {
            b.add("cr" + i, "dr" + i);
        }
        for (int i = 0; i < 32; i++) {
            b.add("xmm" + i, "ymm" + i, "zmm" + i);
        }
        for (int i = 0; i < 8; i++) {
            b.add("mm" + i, "k" + i);
        }
        return b.build();
    }

    /** Whether {@code name} (lower-case, without '%') is a register. */
    static boolean isRegister(String name) {
        return ALL.contains(name);
    }

    static boolean isSegment(String name) {
        return SEGMENTS.contains(name);
    }
}
