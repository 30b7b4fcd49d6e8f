package io.entrysim.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.assemble.Program;
import io.entrysim.assemble.SectionExtent;
import io.entrysim.parse.HostGas;
import io.entrysim.kernel.ShimMode;
import io.entrysim.session.Build;
import io.entrysim.session.BuildOptions;
import io.entrysim.session.Toolchain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The v6.6.87 tree's real {@code arch/x86/entry/entry_64.S}, preprocessed by gcc as Kbuild does
 * (its own headers, generated ones included, no entrysim shim), assembles in entrysim to the
 * same section sizes and symbol offsets as GNU as gives the same text: encodings, relaxation,
 * ALTERNATIVE's padding, every directive. Skips visibly without the corpus tree or binutils.
 */
class TreeEntryLayoutTest {
    static final Path TREE = Path.of("../shared/corpus/kernel/trees/v6.6.87");

    @Test
    void v6687EntryAssemblesAsGasDoes(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(TREE), TREE + " is absent: skipped");
        HostGas.assumeTools("gcc", "as", "objdump");
        String t = TREE.toAbsolutePath().toString();
        HostGas.run(dir, "gcc", "-E", "-P", "-nostdinc", "-D__ASSEMBLY__", "-D__KERNEL__",
                "-I" + t + "/arch/x86/include", "-I" + t + "/arch/x86/include/generated", "-I" + t + "/include",
                "-I" + t + "/arch/x86/include/uapi", "-I" + t + "/arch/x86/include/generated/uapi",
                "-I" + t + "/include/uapi", "-I" + t + "/include/generated/uapi",
                "-include", t + "/include/linux/compiler-version.h", "-include", t + "/include/linux/kconfig.h",
                t + "/arch/x86/entry/entry_64.S", "-o", "entry_64.s");
        HostGas.run(dir, "as", "--64", "-o", "entry_64.o", "entry_64.s");
        Map<String, Long> gasSections = new TreeMap<>();
        for (String line : HostGas.run(dir, "objdump", "-h", "entry_64.o").stdout().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3 && f[0].matches("\\d+") && Long.parseLong(f[2], 16) > 0) {
                gasSections.put(f[1], Long.parseLong(f[2], 16));
            }
        }
        Map<String, String> gasSymbols = new TreeMap<>();
        for (String line : HostGas.run(dir, "objdump", "-t", "entry_64.o").stdout().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 5 && f[0].matches("[0-9a-f]{16}") && !line.contains("*UND*") && !line.contains("*ABS*")
                    && !f[f.length - 1].startsWith(".")) {
                gasSymbols.put(f[f.length - 1], f[f.length - 3] + "+" + Long.parseLong(f[0], 16));
            }
        }

        Program p = Toolchain.build(dir.resolve("entry_64.s"), BuildOptions.defaults()).program();
        assertSameLayout(gasSections, gasSymbols, p);

        // entrysim's own cpp over the tree, no shims: the same program, and boot patching reads
        // every entry of 6.6's .altinstructions (14-byte entries, ft_flags)
        Path wrapper = dir.resolve("wrapper.S");
        Files.writeString(wrapper, "#include <linux/compiler-version.h>\n#include <linux/kconfig.h>\n#include \""
                + t + "/arch/x86/entry/entry_64.S\"\n");
        List<Path> includes = Stream.of("arch/x86/include", "arch/x86/include/generated", "include",
                "arch/x86/include/uapi", "arch/x86/include/generated/uapi", "include/uapi", "include/generated/uapi")
                .map(d -> TREE.toAbsolutePath().resolve(d)).toList();
        BuildOptions tree = BuildOptions.defaults().withIncludeDirs(includes).withShims(ShimMode.NONE)
                .withDefines(Map.of("__KERNEL__", "1"));
        Build own = Toolchain.build(wrapper, tree);
        assertSameLayout(gasSections, gasSymbols, own.program());
        assertEquals(List.of(), own.bootPatches(), "no feature: nothing patched");
        Build pti = Toolchain.build(wrapper, tree.withFeatures(java.util.Set.of("PTI")));
        long entries = gasSections.get(".altinstructions") / 14;
        assertTrue(pti.bootPatches().size() > 10 && pti.bootPatches().size() < entries, pti.bootPatches().toString());
        assertTrue(pti.warnings().stream().noneMatch(w -> w.message().contains("layout")), pti.warnings().toString());
        System.out.println("[tree] v6.6.87 entry_64.S: " + gasSections.size() + " sections and " + gasSymbols.size()
                + " symbols as as gives them");
    }

    static void assertSameLayout(Map<String, Long> gasSections, Map<String, String> gasSymbols, Program p) {
        Map<String, Long> ours = new TreeMap<>();
        for (SectionExtent s : p.sections()) {
            if (!s.name().startsWith(".entrysim")) {
                ours.put(s.name(), s.size());
            }
        }
        assertEquals(gasSections, ours, "section sizes");
        Map<String, String> ourSymbols = new TreeMap<>();
        p.symbols().forEach((name, value) -> {
            SectionExtent s = p.sectionAt(value);
            if (gasSymbols.containsKey(name) && s != null) {
                ourSymbols.put(name, s.name() + "+" + (value - s.base()));
            }
        });
        assertEquals(gasSymbols, ourSymbols, "symbols: section and offset");
        assertTrue(gasSymbols.size() > 50 && gasSections.get(".entry.text") > 0x1000,
                "the whole entry code: " + gasSymbols.size() + " symbols, " + gasSections);
    }
}
