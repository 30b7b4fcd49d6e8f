package io.entrysim.source;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a {@code cpp} command line would say: {@code -I} roots in search order, {@code -D} macros
 * (name, or {@code NAME(args)}, to replacement text; "1" for a bare {@code -DNAME}) and {@code -U}
 * names, which are applied after the predefines and the {@code -D}s, as gcc does; and
 * {@code -include} files, read in order before the main file as if it began with
 * {@code #include "FILE"} for each (looked for as a path first, then in the roots).
 */
public record PreprocessorConfig(List<IncludeRoot> includeRoots, Map<String, String> defines, Set<String> undefines,
                                 List<String> forcedIncludes) {
    public PreprocessorConfig {
        includeRoots = List.copyOf(includeRoots);
        forcedIncludes = List.copyOf(forcedIncludes);
        defines = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(defines));
        undefines = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(undefines));
    }

    public PreprocessorConfig(List<IncludeRoot> includeRoots, Map<String, String> defines, Set<String> undefines) {
        this(includeRoots, defines, undefines, List.of());
    }

    public static PreprocessorConfig of(List<IncludeRoot> includeRoots) {
        return new PreprocessorConfig(includeRoots, Map.of(), Set.of());
    }
}
