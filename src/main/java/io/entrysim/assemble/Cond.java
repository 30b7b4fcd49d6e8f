package io.entrysim.assemble;

/**
 * Condition codes in Intel encoding order (the low nibble of Jcc/SETcc/CMOVcc opcodes),
 * so {@code ordinal() ^ 1} is the negation.
 */
public enum Cond {
    O, NO, B, AE, E, NE, BE, A, S, NS, P, NP, L, GE, LE, G;

    /** Condition for a suffix as written after j/set/cmov, including every alias gas accepts; null if none. */
    public static Cond bySuffix(String s) {
        return switch (s) {
            case "o" -> O;
            case "no" -> NO;
            case "b", "c", "nae" -> B;
            case "ae", "nc", "nb" -> AE;
            case "e", "z" -> E;
            case "ne", "nz" -> NE;
            case "be", "na" -> BE;
            case "a", "nbe" -> A;
            case "s" -> S;
            case "ns" -> NS;
            case "p", "pe" -> P;
            case "np", "po" -> NP;
            case "l", "nge" -> L;
            case "ge", "nl" -> GE;
            case "le", "ng" -> LE;
            case "g", "nle" -> G;
            default -> null;
        };
    }
}
