package io.entrysim.cpu;

import java.util.Arrays;

/**
 * The interrupt descriptor table: vector -> {@link Gate}, or no gate (not present). Immutable:
 * {@link #with} returns a new table, so CPU snapshots share it. Unlike the TSS the IDT is not
 * read from memory: entry code never writes it, and a table object is easier to set up.
 */
public final class Idt {
    public static final Idt EMPTY = new Idt(new Gate[256]);

    private final Gate[] gates;

    private Idt(Gate[] gates) {
        this.gates = gates;
    }

    /** The gate for {@code vector} (0..255), or null if none is present. */
    public Gate gate(int vector) {
        return gates[vector & 0xFF];
    }

    public Idt with(int vector, Gate gate) {
        checkVector(vector);
        Gate[] copy = gates.clone();
        copy[vector] = gate;
        return new Idt(copy);
    }

    public Idt without(int vector) {
        return with(vector, null);
    }

    /** Number of present gates. */
    public int size() {
        return (int) Arrays.stream(gates).filter(g -> g != null).count();
    }

    private static void checkVector(int vector) {
        if (vector < 0 || vector > 255) {
            throw new IllegalArgumentException("vector must be 0..255: " + vector);
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Idt[");
        for (int v = 0; v < 256; v++) {
            if (gates[v] != null) {
                sb.append(sb.length() > 4 ? ", " : "").append(Vectors.name(v)).append("->0x")
                    .append(Long.toHexString(gates[v].handler()));
                if (gates[v].ist() != 0) {
                    sb.append(" ist").append(gates[v].ist());
                }
            }
        }
        return sb.append(']').toString();
    }
}
