package io.entrysim.kernel;

import io.entrysim.diag.AsmError;
import io.entrysim.source.IncludeRoot;
import io.entrysim.source.MemoryRoot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A user's kernel checkout ({@code --kernel-tree DIR}), preprocessed as Kbuild preprocesses an
 * x86-64 {@code .S}: its include directories in Kbuild's order, {@code -include} of
 * {@code linux/compiler-version.h} (where the era has it) and {@code linux/kconfig.h},
 * {@code -D__KERNEL__}; {@code CONFIG_*} from {@code include/generated/autoconf.h} when the tree
 * is built, else from its {@code .config}, else {@link #defaultConfig}. What an unbuilt tree lacks
 * and a build would generate (autoconf.h, asm-offsets.h, syscall tables) is supplied; everything
 * else is the tree's own. Feature names and numbers come from the tree's {@code cpufeatures.h}.
 *
 * @param dir      the checkout
 * @param version  {@code VERSION.PATCHLEVEL.SUBLEVEL} from its Makefile, e.g. 6.6.87
 * @param config   where CONFIG_* came from: {@code autoconf.h}, {@code .config} or {@code default}
 */
public record KernelTree(Path dir, String version, String config, Map<String, Long> features, IncludeRoot supplied) {
    private static final Pattern MAKE_VAR = Pattern.compile("(?m)^(VERSION|PATCHLEVEL|SUBLEVEL)\\s*=\\s*(\\d+)\\s*$");
    private static final Pattern CONFIG_LINE = Pattern.compile("^(CONFIG_\\w+)=(.*)$");

    /** Opens {@code dir}: a directory with a kernel Makefile (else a located error). */
    public static KernelTree open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new AsmError(null, "--kernel-tree " + dir + ": " + (Files.exists(dir) ? "Not a directory" : "No such file or directory"));
        }
        String version = version(dir);
        Map<String, Long> features = features(dir);
        Map<String, String> generated = new LinkedHashMap<>();
        String config;
        if (Files.isRegularFile(dir.resolve("include/generated/autoconf.h"))) {
            config = "autoconf.h";
        } else if (Files.isRegularFile(dir.resolve(".config"))) {
            config = ".config";
            generated.put("generated/autoconf.h", autoconf(read(dir.resolve(".config"))));
        } else {
            config = "default";
            generated.put("generated/autoconf.h", defaultConfig(version));
        }
        // what `make prepare` generates and entry code includes
        if (!Files.isRegularFile(dir.resolve("include/generated/asm-offsets.h"))) {
            generated.put("generated/asm-offsets.h", shim("asm/asm-offsets.h"));
        }
        for (String table : List.of("asm/unistd_64.h", "asm/unistd_64_x32.h", "asm/unistd_32.h",
                "asm/unistd_32_ia32.h", "asm/syscalls_64.h", "asm/syscalls_32.h")) {
            if (!Files.isRegularFile(dir.resolve("arch/x86/include/generated/uapi").resolve(table))
                    && !Files.isRegularFile(dir.resolve("arch/x86/include/generated").resolve(table))) {
                generated.put(table, "/* entrysim: " + table + " as an unbuilt tree lacks it (no syscall numbers) */\n");
            }
        }
        return new KernelTree(dir, version, config, features,
                new MemoryRoot(generated, "<entrysim-generated " + dir.getFileName() + ">"));
    }

    /** The {@code -I} directories, in Kbuild's order for x86, then the entry directory (for "calling.h"). */
    public List<Path> includeDirs() {
        List<Path> out = new ArrayList<>();
        for (String d : List.of("arch/x86/include", "arch/x86/include/generated", "include", "arch/x86/include/uapi",
                "arch/x86/include/generated/uapi", "include/uapi", "include/generated/uapi")) {
            out.add(dir.resolve(d));
        }
        return out;
    }

    /** Searched after the tree's and the supplied headers: so a snippet's {@code #include "calling.h"} finds it. */
    public Path entryDir() {
        return dir.resolve("arch/x86/entry");
    }

    /** Kbuild's {@code -include}s: compiler-version.h where the era has it, then kconfig.h. */
    public List<String> forcedIncludes() {
        List<String> out = new ArrayList<>();
        for (String f : List.of("include/linux/compiler-version.h", "include/linux/kconfig.h")) {
            if (Files.isRegularFile(dir.resolve(f))) {
                out.add(dir.resolve(f).toString());
            }
        }
        return out;
    }

    /** Kbuild's {@code -D}s for a kernel .S (entrysim always defines {@code __ASSEMBLY__}). */
    public Map<String, String> defines() {
        return Map.of("__KERNEL__", "1");
    }

    /**
     * Feature names ({@code PTI}, {@code X86_FEATURE_PTI}, {@code X86_BUG_SWAPGS}) as this tree
     * numbers them; an unknown name is an error naming the tree.
     */
    public Set<String> parseFeatures(Iterable<String> specs) {
        return CpuFeatures.parse(specs, features,
                raw -> "(not in " + version + "'s arch/x86/include/asm/cpufeatures.h)");
    }

    /** The feature numbers of {@code names} (from {@link #parseFeatures}). */
    public Set<Long> bits(Set<String> names) {
        return CpuFeatures.bits(names, features);
    }

    /**
     * x86-64 defconfig as far as entry code looks, with SMP and PTI: what entrysim assumes for a
     * tree with neither a build nor a {@code .config}. Config names follow the era (6.9 renamed
     * the mitigations {@code CONFIG_MITIGATION_*}).
     */
    static String defaultConfig(String version) {
        boolean mitigationNames = compare(version, "6.9") >= 0;
        List<String> on = new ArrayList<>(List.of("X86_64", "64BIT", "X86", "SMP", "X86_ESPFIX64", "IA32_EMULATION",
                "X86_X32_ABI", "JUMP_LABEL", "PREEMPT_VOLUNTARY", "FRAME_POINTER", "STACK_VALIDATION",
                "UNWINDER_ORC", "X86_5LEVEL", "VMAP_STACK", "X86_UMIP", "HAVE_JUMP_LABEL_HACK",
                "X86_KERNEL_IBT", "CPU_SUP_INTEL", "CPU_SUP_AMD"));
        for (String m : List.of("PAGE_TABLE_ISOLATION", "RETPOLINE", "RETHUNK")) {
            on.add(mitigationNames ? "MITIGATION_" + m : m);
        }
        StringBuilder sb = new StringBuilder("/* entrysim's default configuration for " + version
                + " (no include/generated/autoconf.h, no .config) */\n");
        for (String name : new LinkedHashSet<>(on)) {
            sb.append("#define CONFIG_").append(name).append(" 1\n");
        }
        sb.append("#define CONFIG_X86_L1_CACHE_SHIFT 6\n#define CONFIG_NR_CPUS 64\n#define CONFIG_PAGE_SHIFT 12\n");
        sb.append("#define CONFIG_PHYSICAL_START 0x1000000\n#define CONFIG_PHYSICAL_ALIGN 0x200000\n");
        return sb.toString();
    }

    /** {@code .config} as Kconfig writes it into autoconf.h: y -> 1, m -> NAME_MODULE 1, strings and numbers as is. */
    static String autoconf(String dotConfig) {
        StringBuilder sb = new StringBuilder("/* entrysim: include/generated/autoconf.h from .config */\n");
        for (String line : dotConfig.split("\n")) {
            Matcher m = CONFIG_LINE.matcher(line.strip());
            if (!m.matches()) {
                continue;       // comments, "# CONFIG_X is not set"
            }
            String value = m.group(2);
            if (value.equals("y")) {
                sb.append("#define ").append(m.group(1)).append(" 1\n");
            } else if (value.equals("m")) {
                sb.append("#define ").append(m.group(1)).append("_MODULE 1\n");
            } else if (!value.equals("n") && !value.isEmpty()) {
                sb.append("#define ").append(m.group(1)).append(' ').append(value).append('\n');
            }
        }
        return sb.toString();
    }

    private static String version(Path dir) {
        Path makefile = dir.resolve("Makefile");
        if (!Files.isRegularFile(makefile)) {
            throw new AsmError(null, "--kernel-tree " + dir + ": no Makefile (not a kernel source tree)");
        }
        Map<String, String> v = new LinkedHashMap<>();
        Matcher m = MAKE_VAR.matcher(read(makefile));
        while (m.find()) {
            v.putIfAbsent(m.group(1), m.group(2));
        }
        if (!v.containsKey("VERSION") || !v.containsKey("PATCHLEVEL")) {
            throw new AsmError(null, makefile + ": no VERSION/PATCHLEVEL (not a kernel Makefile)");
        }
        return v.get("VERSION") + "." + v.get("PATCHLEVEL") + "." + v.getOrDefault("SUBLEVEL", "0");
    }

    private static Map<String, Long> features(Path dir) {
        Path header = dir.resolve("arch/x86/include/asm/cpufeatures.h");
        if (!Files.isRegularFile(header)) {
            throw new AsmError(null, "--kernel-tree " + dir + ": no arch/x86/include/asm/cpufeatures.h (not an x86 tree)");
        }
        return CpuFeatures.fromHeader(read(header));
    }

    /**
     * Where the tree defines {@code name} as a gas {@code .macro} or a cpp macro, among the
     * headers entry code includes ({@code arch/x86/include}, {@code arch/x86/entry},
     * {@code include/linux}): {@code arch/x86/include/asm/unwind_hints.h:12}, or empty. For the
     * note on "no such instruction": the name is a macro the file did not get (a header it does
     * not include, or one that defines it under another configuration).
     */
    public java.util.Optional<String> macroDefinedIn(String name) {
        Pattern definition = Pattern.compile("^\\s*(\\.macro\\s+" + Pattern.quote(name) + "\\b|#\\s*define\\s+"
                + Pattern.quote(name) + "\\b)", Pattern.CASE_INSENSITIVE);
        for (String dir : List.of("arch/x86/include/asm", "arch/x86/entry", "include/linux")) {
            Path d = this.dir.resolve(dir);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (java.util.stream.Stream<Path> files = Files.list(d)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".h")).sorted().toList()) {
                    String[] lines = read(f).split("\n", -1);
                    for (int k = 0; k < lines.length; k++) {
                        if (definition.matcher(lines[k]).find()) {
                            return java.util.Optional.of(this.dir.relativize(f) + ":" + (k + 1));
                        }
                    }
                }
            } catch (IOException e) {
                return java.util.Optional.empty();
            }
        }
        return java.util.Optional.empty();
    }

    /** Compares dotted versions numerically ("6.10" > "6.9"). */
    static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int p = i < x.length ? Integer.parseInt(x[i]) : 0;
            int q = i < y.length ? Integer.parseInt(y[i]) : 0;
            if (p != q) {
                return Integer.compare(p, q);
            }
        }
        return 0;
    }

    private static String shim(String rel) {
        try (InputStream in = KernelTree.class.getResourceAsStream(Shims.RESOURCE_ROOT + "/" + rel)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new AsmError(null, file + ": " + e.getMessage());
        }
    }
}
