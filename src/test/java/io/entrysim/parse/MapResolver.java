package io.entrysim.parse;

import java.util.Map;

/** A resolver over a fixed symbol map; local labels as "1f"/"1b" keys; '.' is 0x1000. */
record MapResolver(Map<String, Long> symbols) implements SymbolResolver {
    @Override
    public Long symbol(String name) {
        return symbols.get(name);
    }

    @Override
    public Long localLabel(int label, boolean forward) {
        return symbols.get(label + (forward ? "f" : "b"));
    }

    @Override
    public long dot() {
        return 0x1000;
    }
}
