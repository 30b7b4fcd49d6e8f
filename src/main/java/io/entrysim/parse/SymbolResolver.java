package io.entrysim.parse;

/** What an expression needs from its surroundings; null means "not known (yet)". */
public interface SymbolResolver {
    Long symbol(String name);

    Long localLabel(int label, boolean forward);

    long dot();

    /** A warning gas gives while folding ({@code shift count out of range}); ignored unless overridden. */
    default void warn(String message) {}

    /**
     * Only named symbols, from {@code symbols} (null: not known): no local labels, no {@code .}
     * (outside any section, as a constant expression is evaluated).
     */
    static SymbolResolver ofSymbols(java.util.function.Function<String, Long> symbols) {
        return new SymbolResolver() {
            @Override
            public Long symbol(String name) {
                return symbols.apply(name);
            }

            @Override
            public Long localLabel(int label, boolean forward) {
                return null;
            }

            @Override
            public long dot() {
                throw new UnresolvedSymbolException(".");
            }
        };
    }
}
