package io.entrysim.equiv;

import java.util.List;

/**
 * One axis of {@code entrysim equiv}'s input domain, from an {@code --over} clause: what it sets
 * and the values it takes, simplest first (so shrinking a counterexample tries them in order).
 *
 * @param kind what a value sets: a register ({@code --set NAME=V}), memory ({@code --mem
 *     NAME=V:SIZE}), the CPU features, or a static key
 * @param name the register, the address expression (memory), or the key; "" for features
 * @param size bytes, for memory
 * @param values the values as the option takes them ({@code 0x1c0a001}, {@code PTI,PCID}, {@code 1})
 * @param clause the {@code --over} text it came from
 */
public record Dimension(Kind kind, String name, int size, List<String> values, String clause) {
    public enum Kind { REGISTER, MEMORY, FEATURE, STATIC_KEY }

    public Dimension {
        values = List.copyOf(values);
    }

    /** Whether the value changes what is built (not only how the machine starts). */
    public boolean buildsDiffer() {
        return kind == Kind.FEATURE || kind == Kind.STATIC_KEY;
    }

    /** {@code cr3=0x1c0b801}, {@code mem %gs:X:2=0x2}, {@code feature=PTI,PCID}, {@code static-key K=1}. */
    public String show(String value) {
        return switch (kind) {
            case REGISTER -> name + "=" + value;
            case MEMORY -> "mem " + name + ":" + size + "=" + value;
            case FEATURE -> "feature=" + (value.isEmpty() ? "(none)" : value);
            case STATIC_KEY -> "static-key " + name + "=" + value;
        };
    }
}
