package io.entrysim.parse;

import io.entrysim.isa.RegisterNames;

/** The x86-64 register names gas accepts after '%' ({@link RegisterNames}). */
final class Registers {
    private Registers() {}

    /** Whether {@code name} (lower-case, without '%') is a register. */
    static boolean isRegister(String name) {
        return RegisterNames.isRegister(name);
    }

    static boolean isSegment(String name) {
        return RegisterNames.isSegment(name);
    }
}
