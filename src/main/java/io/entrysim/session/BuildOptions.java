package io.entrysim.session;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything that decides how a {@code .S} file is turned into a program: the cpp search path and
 * defines, the kernel environment (CPU features, static keys) and whether the shims are used.
 *
 * @param includeDirs  {@code -I} directories, searched in order after the shims
 * @param defines      {@code -D NAME[=VALUE]} (value "1" when absent), after the kernel defaults
 * @param undefines    {@code -U NAME}, applied last as gcc does
 * @param features     CPU feature names without {@code X86_FEATURE_} (e.g. PTI, PCID)
 * @param staticKeys   {@code --static-key KEY=0|1}
 * @param useShims     false to resolve every header from {@code -I} only
 */
public record BuildOptions(List<Path> includeDirs, Map<String, String> defines, Set<String> undefines,
                           Set<String> features, Map<String, Boolean> staticKeys, boolean useShims) {

    public static BuildOptions defaults() {
        return new BuildOptions(List.of(), Map.of(), Set.of(), Set.of(), Map.of(), true);
    }

    public BuildOptions withFeatures(Set<String> f) {
        return new BuildOptions(includeDirs, defines, undefines, f, staticKeys, useShims);
    }

    public BuildOptions withDefines(Map<String, String> d) {
        return new BuildOptions(includeDirs, d, undefines, features, staticKeys, useShims);
    }

    public BuildOptions withIncludeDirs(List<Path> dirs) {
        return new BuildOptions(dirs, defines, undefines, features, staticKeys, useShims);
    }

    public BuildOptions withStaticKeys(Map<String, Boolean> keys) {
        return new BuildOptions(includeDirs, defines, undefines, features, keys, useShims);
    }
}
