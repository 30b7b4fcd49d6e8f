package io.entrysim.assemble;

import io.entrysim.isa.RegisterNames;

/** The AT&amp;T name of a register operand ("rax", "r9d", "ah"), for messages and traces. */
public final class GprNames {
    private GprNames() {}

    public static String name(Operand.Gpr g) {
        return RegisterNames.gprName(g.reg(), g.size(), g.highByte());
    }
}
