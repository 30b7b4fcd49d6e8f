package io.entrysim.source;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a {@code cpp} command line would say: {@code -I} roots in search order, {@code -D} macros
 * (name, or {@code NAME(args)}, to replacement text; "1" for a bare {@code -DNAME}) and {@code -U}
 * names, which are applied after the predefines and the {@code -D}s, as gcc does.
 */
public record PreprocessorConfig(List<IncludeRoot> includeRoots, Map<String, String> defines, Set<String> undefines) {
    public PreprocessorConfig {
        includeRoots = List.copyOf(includeRoots);
        defines = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(defines));
        undefines = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(undefines));
    }

    public static PreprocessorConfig of(List<IncludeRoot> includeRoots) {
        return new PreprocessorConfig(includeRoots, Map.of(), Set.of());
    }
}
