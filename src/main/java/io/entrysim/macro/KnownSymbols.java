package io.entrysim.macro;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the expander knows about symbols while reading: which are defined so far (labels seen,
 * {@code .set}/{@code .equ}/{@code =} targets) for {@code .ifdef}, and the value of those whose
 * value is an absolute number, for {@code .if} expressions.
 */
final class KnownSymbols {
    private final Set<String> defined = new HashSet<>();
    private final Map<String, Long> absolute = new HashMap<>();

    boolean isDefined(String name) {
        return defined.contains(name);
    }

    /** The absolute value, or null when unknown (undefined, relocatable, or not evaluable here). */
    Long value(String name) {
        return absolute.get(name);
    }

    void defineLabel(String name) {
        defined.add(name);
    }

    /** {@code name} now equals {@code value}; null when the value is not a known absolute number. */
    void assign(String name, Long value) {
        defined.add(name);
        if (value == null) {
            absolute.remove(name);
        } else {
            absolute.put(name, value);
        }
    }
}
