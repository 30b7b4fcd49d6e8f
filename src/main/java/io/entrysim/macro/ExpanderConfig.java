package io.entrysim.macro;

import java.util.Map;
import java.util.Set;

/**
 * What the expander needs to know about the modeled machine and build: the CPU feature bits
 * that are set (for {@code .ifcpufeature}), the static keys forced on or off (for
 * {@code .ifstatickey}), and the macro nesting limit (gas uses 100).
 */
public record ExpanderConfig(Set<Long> cpuFeatures, Map<String, Boolean> staticKeys, int maxDepth) {
    public static final int DEFAULT_MAX_DEPTH = 100;

    public ExpanderConfig {
        cpuFeatures = Set.copyOf(cpuFeatures);
        staticKeys = Map.copyOf(staticKeys);
        if (maxDepth < 0) {
            throw new IllegalArgumentException("maxDepth must be >= 0: " + maxDepth);
        }
    }

    public ExpanderConfig(Set<Long> cpuFeatures, Map<String, Boolean> staticKeys) {
        this(cpuFeatures, staticKeys, DEFAULT_MAX_DEPTH);
    }

    /** No features, no static keys, gas's nesting limit. */
    public static ExpanderConfig defaults() {
        return new ExpanderConfig(Set.of(), Map.of());
    }
}
