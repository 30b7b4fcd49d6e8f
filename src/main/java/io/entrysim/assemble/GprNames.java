package io.entrysim.assemble;

/** The AT&amp;T name of a register operand ("rax", "r9d", "ah"), for messages and traces. */
public final class GprNames {
    private GprNames() {}

    private static final String[] LEGACY = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di"};
    private static final String[] LOW8 = {"al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil"};
    private static final String[] HIGH8 = {"ah", "ch", "dh", "bh"};

    public static String name(Operand.Gpr g) {
        int r = g.reg();
        if (g.highByte()) {
            return HIGH8[r];
        }
        if (r >= 8) {
            return switch (g.size()) {
                case 8 -> "r" + r;
                case 4 -> "r" + r + "d";
                case 2 -> "r" + r + "w";
                default -> "r" + r + "b";
            };
        }
        return switch (g.size()) {
            case 8 -> "r" + LEGACY[r];
            case 4 -> "e" + LEGACY[r];
            case 2 -> LEGACY[r];
            default -> LOW8[r];
        };
    }
}
