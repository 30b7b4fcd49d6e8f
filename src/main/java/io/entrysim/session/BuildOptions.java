package io.entrysim.session;

import io.entrysim.kernel.CpuFeatures;
import io.entrysim.kernel.KernelTree;
import io.entrysim.kernel.MachineLayout;
import io.entrysim.kernel.ShimMode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything that decides how a {@code .S} file is turned into a program: the cpp search path and
 * defines, the kernel environment (CPU features, static keys), whether the shims are used, and
 * the machine it will run on (which places some sections and provides linker-script symbols).
 *
 * @param includeDirs   {@code -I} directories, searched in order after the shims
 * @param defines       {@code -D NAME[=VALUE]} (value "1" when absent), after the kernel defaults
 * @param undefines     {@code -U NAME}, applied last as gcc does
 * @param features      CPU feature names without {@code X86_FEATURE_} (e.g. PTI, PCID)
 * @param staticKeys    {@code --static-key KEY=0|1}
 * @param shims         where the shim headers are searched: before {@code -I} (the default),
 *                      after it (a tree's real headers win), or not at all
 * @param stubUndefined give symbols the program never defines a stub (else they are errors)
 * @param machine       the machine layout ({@code --machine}); flat by default
 * @param forcedIncludes {@code -include FILE}s, read before the source as gcc does
 * @param kernelTree    {@code --kernel-tree DIR}, or null: its Kbuild include path, config and
 *                      {@code -include}s come after the {@code -I}s and {@code -include}s given;
 *                      its cpufeatures.h numbers the features
 */
public record BuildOptions(List<Path> includeDirs, Map<String, String> defines, Set<String> undefines,
                           Set<String> features, Map<String, Boolean> staticKeys, ShimMode shims,
                           boolean stubUndefined, MachineLayout machine, List<String> forcedIncludes,
                           KernelTree kernelTree) {

    public BuildOptions {
        forcedIncludes = List.copyOf(forcedIncludes);
    }

    public BuildOptions(List<Path> includeDirs, Map<String, String> defines, Set<String> undefines,
                        Set<String> features, Map<String, Boolean> staticKeys, ShimMode shims,
                        boolean stubUndefined, MachineLayout machine) {
        this(includeDirs, defines, undefines, features, staticKeys, shims, stubUndefined, machine, List.of(), null);
    }

    /** With the shims first ({@code useShims}) or not at all. */
    public BuildOptions(List<Path> includeDirs, Map<String, String> defines, Set<String> undefines,
                        Set<String> features, Map<String, Boolean> staticKeys, boolean useShims,
                        boolean stubUndefined, MachineLayout machine) {
        this(includeDirs, defines, undefines, features, staticKeys, useShims ? ShimMode.FIRST : ShimMode.NONE,
                stubUndefined, machine);
    }

    /** False when every header comes from {@code -I}. */
    public boolean useShims() {
        return shims != ShimMode.NONE;
    }

    public BuildOptions(List<Path> includeDirs, Map<String, String> defines, Set<String> undefines,
                        Set<String> features, Map<String, Boolean> staticKeys, boolean useShims) {
        this(includeDirs, defines, undefines, features, staticKeys, useShims, true, MachineLayout.flat());
    }

    public static BuildOptions defaults() {
        return new BuildOptions(List.of(), Map.of(), Set.of(), Set.of(), Map.of(), true);
    }

    public BuildOptions withFeatures(Set<String> f) {
        return new BuildOptions(includeDirs, defines, undefines, f, staticKeys, shims, stubUndefined, machine, forcedIncludes, kernelTree);
    }

    public BuildOptions withDefines(Map<String, String> d) {
        return new BuildOptions(includeDirs, d, undefines, features, staticKeys, shims, stubUndefined, machine, forcedIncludes, kernelTree);
    }

    public BuildOptions withIncludeDirs(List<Path> dirs) {
        return new BuildOptions(dirs, defines, undefines, features, staticKeys, shims, stubUndefined, machine, forcedIncludes, kernelTree);
    }

    public BuildOptions withStaticKeys(Map<String, Boolean> keys) {
        return new BuildOptions(includeDirs, defines, undefines, features, keys, shims, stubUndefined, machine, forcedIncludes, kernelTree);
    }

    public BuildOptions withStubs(boolean stub) {
        return new BuildOptions(includeDirs, defines, undefines, features, staticKeys, shims, stub, machine, forcedIncludes, kernelTree);
    }

    public BuildOptions withShims(ShimMode mode) {
        return new BuildOptions(includeDirs, defines, undefines, features, staticKeys, mode, stubUndefined, machine, forcedIncludes, kernelTree);
    }

    public BuildOptions withForcedIncludes(List<String> files) {
        return new BuildOptions(includeDirs, defines, undefines, features, staticKeys, shims, stubUndefined, machine,
                files, kernelTree);
    }

    /** With {@code tree}'s headers and config, its real patching headers winning over the shims. */
    public BuildOptions withKernelTree(KernelTree tree) {
        return new BuildOptions(includeDirs, defines, undefines, features, staticKeys,
                shims == ShimMode.FIRST ? ShimMode.FALLBACK : shims, stubUndefined, machine, forcedIncludes, tree);
    }

    /** The feature numbers ALTERNATIVE and boot patching test: the tree's cpufeatures.h, else the shims'. */
    public Set<Long> featureBits() {
        return kernelTree != null ? kernelTree.bits(features) : CpuFeatures.bits(features);
    }

    public BuildOptions withMachine(MachineLayout m) {
        return new BuildOptions(includeDirs, defines, undefines, features, staticKeys, shims, stubUndefined, m, forcedIncludes, kernelTree);
    }
}
