package io.entrysim.parse;

/**
 * An expression referred to a symbol (or local label, or '.') its resolver could not supply.
 * Expected control flow in a first pass, hence no stack trace.
 */
public final class UnresolvedSymbolException extends RuntimeException {
    private final String name;

    public UnresolvedSymbolException(String name) {
        super("undefined symbol `" + name + "'", null, false, false);
        this.name = name;
    }

    /** The symbol as written: "foo", "1f", "2b", or "." for the location counter. */
    public String name() {
        return name;
    }
}
