package io.entrysim.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.diag.AsmError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --kernel-tree}: what is read from a checkout (our own miniature trees here), what is supplied. */
class KernelTreeTest {
    static Path tree(Path dir, String makefile, String cpufeatures) throws IOException {
        Files.writeString(dir.resolve("Makefile"), makefile);
        Files.createDirectories(dir.resolve("arch/x86/include/asm"));
        Files.writeString(dir.resolve("arch/x86/include/asm/cpufeatures.h"), cpufeatures);
        return dir;
    }

    static final String FEATURES = """
            #define NCAPINTS\t\t\t3
            #define X86_FEATURE_ALWAYS\t\t( 3*32+21) /* always */
            #define X86_FEATURE_PTI\t\t\t( 7*32+11) /* PTI */
            #define X86_BUG(x)\t\t\t(NCAPINTS*32 + (x))
            #define X86_BUG_CPU_MELTDOWN\t\tX86_BUG(14)
            """;

    @Test
    void versionFeaturesAndBugsComeFromTheTree(@TempDir Path dir) throws IOException {
        KernelTree t = KernelTree.open(tree(dir, "# SPDX\nVERSION = 6\nPATCHLEVEL = 9\nSUBLEVEL = 3\nEXTRAVERSION =\n", FEATURES));
        assertEquals("6.9.3", t.version());
        assertEquals("default", t.config());
        assertEquals(Set.of("PTI", "X86_BUG_CPU_MELTDOWN"), t.parseFeatures(List.of("x86_feature_pti,X86_BUG_CPU_MELTDOWN")));
        assertEquals(Set.of(235L, 3L * 32 + 14), t.bits(Set.of("PTI", "X86_BUG_CPU_MELTDOWN")));
        AsmError e = assertThrows(AsmError.class, () -> t.parseFeatures(List.of("PCID")));
        assertEquals("unknown CPU feature `PCID' (not in 6.9.3's arch/x86/include/asm/cpufeatures.h)", e.getMessage());
        // 6.9 renamed the mitigations: the default configuration follows the era
        String config = t.supplied().find("generated/autoconf.h").orElseThrow().text();
        assertTrue(config.contains("#define CONFIG_MITIGATION_PAGE_TABLE_ISOLATION 1"), config);
        assertTrue(t.supplied().find("generated/asm-offsets.h").isPresent(), "an unbuilt tree gets asm-offsets");
        assertTrue(KernelTree.defaultConfig("6.6.87").contains("#define CONFIG_PAGE_TABLE_ISOLATION 1"));
        assertEquals(List.of(), t.forcedIncludes(), "neither kconfig.h nor compiler-version.h in this tree");
    }

    @Test
    void aDotConfigBecomesAutoconfAsKconfigWritesIt(@TempDir Path dir) throws IOException {
        tree(dir, "VERSION = 5\nPATCHLEVEL = 10\nSUBLEVEL = 7\n", FEATURES);
        Files.writeString(dir.resolve(".config"), String.join("\n", "# comment", "CONFIG_SMP=y", "CONFIG_KVM=m",
                "# CONFIG_DEBUG_ENTRY is not set", "CONFIG_NR_CPUS=64", "CONFIG_LOCALVERSION=\"-x\"", ""));
        KernelTree t = KernelTree.open(dir);
        assertEquals(".config", t.config());
        assertEquals("""
                /* entrysim: include/generated/autoconf.h from .config */
                #define CONFIG_SMP 1
                #define CONFIG_KVM_MODULE 1
                #define CONFIG_NR_CPUS 64
                #define CONFIG_LOCALVERSION "-x"
                """, t.supplied().find("generated/autoconf.h").orElseThrow().text());
    }

    @Test
    void aBuiltTreesOwnGeneratedHeadersAreNotShadowed(@TempDir Path dir) throws IOException {
        tree(dir, "VERSION = 6\nPATCHLEVEL = 6\nSUBLEVEL = 87\n", FEATURES);
        Files.createDirectories(dir.resolve("include/generated"));
        Files.writeString(dir.resolve("include/generated/autoconf.h"), "#define CONFIG_SMP 1\n");
        Files.writeString(dir.resolve("include/generated/asm-offsets.h"), "#define X 1\n");
        Files.createDirectories(dir.resolve("include/linux"));
        Files.writeString(dir.resolve("include/linux/kconfig.h"), "");
        KernelTree t = KernelTree.open(dir);
        assertEquals("autoconf.h", t.config());
        assertTrue(t.supplied().find("generated/autoconf.h").isEmpty());
        assertTrue(t.supplied().find("generated/asm-offsets.h").isEmpty());
        assertEquals(List.of(dir.resolve("include/linux/kconfig.h").toString()), t.forcedIncludes());
        assertEquals(dir.resolve("arch/x86/include"), t.includeDirs().get(0));
    }

    @Test
    void notATreeIsAnErrorThatSaysWhy(@TempDir Path dir) throws IOException {
        assertEquals("--kernel-tree " + dir.resolve("nope") + ": No such file or directory",
                assertThrows(AsmError.class, () -> KernelTree.open(dir.resolve("nope"))).getMessage());
        assertEquals("--kernel-tree " + dir + ": no Makefile (not a kernel source tree)",
                assertThrows(AsmError.class, () -> KernelTree.open(dir)).getMessage());
        Files.writeString(dir.resolve("Makefile"), "all:\n");
        assertTrue(assertThrows(AsmError.class, () -> KernelTree.open(dir)).getMessage().contains("no VERSION/PATCHLEVEL"));
        Files.writeString(dir.resolve("Makefile"), "VERSION = 4\nPATCHLEVEL = 15\n");
        assertTrue(assertThrows(AsmError.class, () -> KernelTree.open(dir)).getMessage().contains("not an x86 tree"));
    }

    @Test
    void findsWhereTheTreeDefinesAMacro(@TempDir Path dir) throws IOException {
        tree(dir, "VERSION = 6\nPATCHLEVEL = 6\nSUBLEVEL = 0\n", FEATURES);
        Files.createDirectories(dir.resolve("arch/x86/entry"));
        Files.writeString(dir.resolve("arch/x86/entry/calling.h"), "/* x */\n.macro SWITCH_IT reg:req\n.endm\n");
        Files.writeString(dir.resolve("arch/x86/include/asm/thing.h"), "#define THING_MACRO(x) x\n");
        KernelTree t = KernelTree.open(dir);
        assertEquals(java.util.Optional.of("arch/x86/entry/calling.h:2"), t.macroDefinedIn("switch_it"));
        assertEquals(java.util.Optional.of("arch/x86/include/asm/thing.h:1"), t.macroDefinedIn("THING_MACRO"));
        assertEquals(java.util.Optional.empty(), t.macroDefinedIn("SWITCH"));
    }
}
