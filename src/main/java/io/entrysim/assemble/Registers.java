package io.entrysim.assemble;

import io.entrysim.cpu.Reg;
import java.util.HashMap;
import java.util.Map;

/** AT&amp;T register names (without {@code %}) to general-purpose register operands. */
final class Registers {
    private Registers() {}

    private static final Map<String, Operand.Gpr> GPRS = new HashMap<>();

    static {
        String[] legacy = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di"};
        for (int i = 0; i < 8; i++) {
            GPRS.put("r" + legacy[i], new Operand.Gpr(i, 8, false));
            GPRS.put("e" + legacy[i], new Operand.Gpr(i, 4, false));
            GPRS.put(legacy[i], new Operand.Gpr(i, 2, false));
        }
        String[] low8 = {"al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil"};
        for (int i = 0; i < 8; i++) {
            GPRS.put(low8[i], new Operand.Gpr(i, 1, false));
        }
        String[] high8 = {"ah", "ch", "dh", "bh"};
        for (int i = 0; i < 4; i++) {
            GPRS.put(high8[i], new Operand.Gpr(i, 1, true));
        }
        for (int i = 8; i < Reg.COUNT; i++) {
            GPRS.put("r" + i, new Operand.Gpr(i, 8, false));
            GPRS.put("r" + i + "d", new Operand.Gpr(i, 4, false));
            GPRS.put("r" + i + "w", new Operand.Gpr(i, 2, false));
            GPRS.put("r" + i + "b", new Operand.Gpr(i, 1, false));
            GPRS.put("r" + i + "l", new Operand.Gpr(i, 1, false));
        }
    }

    /** The register operand for a name like "rax", "r9d", "ah"; null when not a GPR. */
    static Operand.Gpr gpr(String name) {
        return GPRS.get(name);
    }

    /** %cr0, %cr2, %cr3, %cr4, %cr8 -> the number; -1 otherwise. */
    static int controlRegister(String name) {
        return switch (name) {
            case "cr0" -> 0;
            case "cr2" -> 2;
            case "cr3" -> 3;
            case "cr4" -> 4;
            case "cr8" -> 8;
            default -> -1;
        };
    }

    static boolean isSegment(String name) {
        return switch (name) {
            case "cs", "ds", "es", "fs", "gs", "ss" -> true;
            default -> false;
        };
    }
}
