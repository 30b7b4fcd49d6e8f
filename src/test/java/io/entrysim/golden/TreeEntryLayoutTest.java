package io.entrysim.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.assemble.Program;
import io.entrysim.assemble.SectionExtent;
import io.entrysim.kernel.ShimMode;
import io.entrysim.parse.HostGas;
import io.entrysim.session.Build;
import io.entrysim.session.BuildOptions;
import io.entrysim.session.Toolchain;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tree's real {@code arch/x86/entry/entry_64.S} with its own headers and no entrysim shim
 * assembles in entrysim to the same section sizes and symbol offsets as {@code gcc -E} + GNU as
 * give: encodings, relaxation, ALTERNATIVE's padding, every directive — both from gcc's
 * preprocessed text and through entrysim's own cpp. And the tree's {@code .altinstructions} is
 * read in that era's layout and applied. v6.6.87 is a built tree; v4.15 is not, so the test
 * supplies the generated headers it lacks (a small config, the shims' asm-offsets values, empty
 * syscall tables), the same for gcc and for entrysim. Skips visibly without the corpus or binutils.
 */
class TreeEntryLayoutTest {
    /** The corpus's trees (the test skips when the corpus is absent: not a static field, whose failure would be an error). */
    static Path trees() {
        return CorpusRun.corpus().resolve("trees");
    }

    record Layout(Map<String, Long> sections, Map<String, String> symbols) {}

    @Test
    void v6687EntryAssemblesAsGasDoes(@TempDir Path dir) throws Exception {
        Path tree = tree("v6.6.87");
        List<Path> includes = under(tree, "arch/x86/include", "arch/x86/include/generated", "include",
                "arch/x86/include/uapi", "arch/x86/include/generated/uapi", "include/uapi", "include/generated/uapi");
        List<Path> forced = under(tree, "include/linux/compiler-version.h", "include/linux/kconfig.h");
        check(dir, tree, includes, forced, 14, "v6.6.87");
    }

    @Test
    void v415EntryAssemblesAsGasDoes(@TempDir Path dir) throws Exception {
        Path tree = tree("v4.15");
        Path generated = dir.resolve("generated-headers");
        Files.createDirectories(generated.resolve("generated"));
        Files.createDirectories(generated.resolve("asm"));
        Files.writeString(generated.resolve("generated/autoconf.h"), String.join("\n",
                "#define CONFIG_X86_64 1", "#define CONFIG_SMP 1", "#define CONFIG_PAGE_TABLE_ISOLATION 1",
                "#define CONFIG_X86_ESPFIX64 1", "#define CONFIG_X86_L1_CACHE_SHIFT 6", ""));
        try (InputStream in = getClass().getResourceAsStream("/io/entrysim/kernel/shim/asm/asm-offsets.h")) {
            Files.writeString(generated.resolve("generated/asm-offsets.h"), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        for (String empty : List.of("asm/unistd_64.h", "asm/unistd_64_x32.h", "asm/syscalls_64.h")) {
            Files.writeString(generated.resolve(empty), "");
        }
        List<Path> includes = new ArrayList<>(under(tree, "arch/x86/include"));
        includes.add(generated);
        includes.addAll(under(tree, "include", "arch/x86/include/uapi", "include/uapi"));
        check(dir, tree, includes, under(tree, "include/linux/kconfig.h"), 13, "v4.15");
    }

    /** gcc -E + as, then entrysim from gcc's text and through its own cpp: the same layout; then PTI's alternatives applied. */
    static void check(Path dir, Path tree, List<Path> includes, List<Path> forced, int entrySize, String name)
            throws IOException, InterruptedException {
        HostGas.assumeTools("gcc", "as", "objdump");
        List<String> gcc = new ArrayList<>(List.of("gcc", "-E", "-P", "-nostdinc", "-D__ASSEMBLY__", "-D__KERNEL__"));
        includes.forEach(i -> gcc.add("-I" + i));
        forced.forEach(f -> {
            gcc.add("-include");
            gcc.add(f.toString());
        });
        Path entry = tree.resolve("arch/x86/entry/entry_64.S");
        gcc.addAll(List.of(entry.toString(), "-o", "entry_64.s"));
        HostGas.run(dir, gcc.toArray(new String[0]));
        HostGas.run(dir, "as", "--64", "-o", "entry_64.o", "entry_64.s");
        Layout gas = gasLayout(dir, "entry_64.o");

        assertEquals(gas, layout(Toolchain.build(dir.resolve("entry_64.s"), BuildOptions.defaults()).program()),
                name + ": gcc -E text assembled by entrysim");

        Path wrapper = dir.resolve("wrapper.S");
        StringBuilder w = new StringBuilder();
        forced.forEach(f -> w.append("#include \"").append(f).append("\"\n"));
        w.append("#include \"").append(entry).append("\"\n");
        Files.writeString(wrapper, w);
        BuildOptions options = BuildOptions.defaults().withIncludeDirs(includes).withShims(ShimMode.NONE)
                .withDefines(Map.of("__KERNEL__", "1"));
        Build own = Toolchain.build(wrapper, options);
        assertEquals(gas, layout(own.program()), name + ": through entrysim's own cpp");
        assertEquals(List.of(), own.bootPatches(), name + ": no feature, nothing patched");

        Build pti = Toolchain.build(wrapper, options.withFeatures(Set.of("PTI")));
        long entries = gas.sections().get(".altinstructions") / entrySize;
        assertTrue(pti.bootPatches().size() > 10 && pti.bootPatches().size() < entries, pti.bootPatches().toString());
        assertTrue(pti.warnings().stream().noneMatch(x -> x.message().contains("layout")), pti.warnings().toString());
        assertTrue(gas.symbols().size() > 50 && gas.sections().get(".entry.text") > 0x1000,
                "the whole entry code: " + gas.symbols().size() + " symbols, " + gas.sections());
        System.out.println("[tree] " + name + " entry_64.S: " + gas.sections().size() + " sections and "
                + gas.symbols().size() + " symbols as as gives them; " + pti.bootPatches().size()
                + " of " + entries + " alternatives patched for PTI");
    }

    static Path tree(String version) {
        Path tree = trees().resolve(version).toAbsolutePath();
        Assumptions.assumeTrue(Files.isDirectory(tree), tree + " is absent: skipped");
        return tree;
    }

    static List<Path> under(Path tree, String... relative) {
        return java.util.Arrays.stream(relative).map(tree::resolve).toList();
    }

    /** Section sizes and symbol section+offset from objdump, as gas laid them out. */
    static Layout gasLayout(Path dir, String object) throws IOException, InterruptedException {
        Map<String, Long> sections = new TreeMap<>();
        for (String line : HostGas.run(dir, "objdump", "-h", object).stdout().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3 && f[0].matches("\\d+") && Long.parseLong(f[2], 16) > 0) {
                sections.put(f[1], Long.parseLong(f[2], 16));
            }
        }
        Map<String, String> symbols = new TreeMap<>();
        for (String line : HostGas.run(dir, "objdump", "-t", object).stdout().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 5 && f[0].matches("[0-9a-f]{16}") && !line.contains("*UND*") && !line.contains("*ABS*")
                    && !f[f.length - 1].startsWith(".")) {
                symbols.put(f[f.length - 1], f[f.length - 3] + "+" + Long.parseLong(f[0], 16));
            }
        }
        return new Layout(sections, symbols);
    }

    /** The same view of entrysim's program, over the symbols gas lists. */
    static Layout layout(Program p) {
        Map<String, Long> sections = new TreeMap<>();
        for (SectionExtent s : p.sections()) {
            if (!s.name().startsWith(".entrysim")) {
                sections.put(s.name(), s.size());
            }
        }
        Map<String, String> symbols = new TreeMap<>();
        p.symbols().forEach((name, value) -> {
            SectionExtent s = p.sectionAt(value);
            if (s != null && !name.startsWith(".") && !s.name().startsWith(".entrysim")) {
                symbols.put(name, s.name() + "+" + (value - s.base()));
            }
        });
        return new Layout(sections, symbols);
    }
}
