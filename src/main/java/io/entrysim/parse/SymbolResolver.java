package io.entrysim.parse;

/** What an expression needs from its surroundings; null means "not known (yet)". */
public interface SymbolResolver {
    Long symbol(String name);

    Long localLabel(int label, boolean forward);

    long dot();
}
