package io.entrysim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --shims first|fallback|none}: with the shims first, ALTERNATIVE is decided at assembly
 * time; with them as a fallback, a tree's own {@code asm/alternative-asm.h} wins and its table is
 * patched as at boot; the two give the same run. {@code --no-shims} is {@code --shims none}.
 */
class ShimModeTest {
    /** A tree's alternative-asm.h as 4.x kernels write it (our own text, the same table layout). */
    static final String TREE_ALTERNATIVE = """
            #ifndef TREE_ALTERNATIVE_ASM_H
            #define TREE_ALTERNATIVE_ASM_H
            .macro ALTERNATIVE old_code, new_code, cpu_feature
            661:
            \t\\old_code
            662:
            \t.skip -(((665f-664f)-(662b-661b)) > 0) * ((665f-664f)-(662b-661b)),0x90
            663:
            \t.pushsection .altinstructions,"a"
            \t.long 661b - ., 664f - .
            \t.word \\cpu_feature
            \t.byte 663b-661b, 665f-664f, 663b-662b
            \t.popsection
            \t.pushsection .altinstr_replacement,"ax"
            664:
            \t\\new_code
            665:
            \t.popsection
            .endm
            #endif
            """;

    static final String PROGRAM = """
            #include <asm/cpufeatures.h>
            #include <asm/alternative-asm.h>
            \tALTERNATIVE "movq $1, %rax", "movq $2, %rax; movq $3, %rbx", X86_FEATURE_PTI
            \thlt
            """;

    @Test
    void fallbackPatchesTheTreesTableAndRunsAsTheShimsDecide(@TempDir Path tree) throws IOException {
        Files.createDirectories(tree.resolve("asm"));
        Files.writeString(tree.resolve("asm/alternative-asm.h"), TREE_ALTERNATIVE);
        Path source = tree.resolve("prog.S");
        Files.writeString(source, PROGRAM);
        for (String mode : new String[] {"first", "fallback"}) {
            RunCommandTest.Result r = RunCommandTest.run(source.toString(), "-I", tree.toString(),
                    "--shims", mode, "--feature", "PTI", "--json");
            assertEquals(0, r.status(), mode + ": " + r.err());
            var regs = r.json().getAsJsonObject("regs");
            assertEquals("0x2", regs.get("rax").getAsString(), mode);
            assertEquals("0x3", regs.get("rbx").getAsString(), mode);
            assertEquals(mode.equals("fallback"), r.json().has("boot_patches"), mode + ": " + r.out());
        }
        RunCommandTest.Result text = RunCommandTest.run(source.toString(), "-I", tree.toString(),
                "--shims", "fallback", "--feature", "PTI");
        assertTrue(text.out().contains("patched at boot (as the kernel patches itself):\n  alternative at 0x"),
                text.out());
        RunCommandTest.Result without = RunCommandTest.run(source.toString(), "-I", tree.toString(),
                "--shims", "fallback", "--json");
        assertEquals("0x1", without.json().getAsJsonObject("regs").get("rax").getAsString());
        assertFalse(without.json().has("boot_patches"));
    }

    @Test
    void noShimsIsShimsNoneAndContradictionsAreErrors(@TempDir Path dir) throws IOException {
        Path source = dir.resolve("prog.S");
        Files.writeString(source, PROGRAM);
        RunCommandTest.Result none = RunCommandTest.run(source.toString(), "--shims", "none");
        assertEquals(1, none.status());
        assertTrue(none.err().contains("asm/cpufeatures.h"), none.err());
        assertEquals(none.err(), RunCommandTest.run(source.toString(), "--no-shims").err());
        RunCommandTest.Result both = RunCommandTest.run(source.toString(), "--no-shims", "--shims", "first");
        assertEquals(1, both.status());
        assertTrue(both.err().contains("--no-shims contradicts --shims first"), both.err());
        RunCommandTest.Result bad = RunCommandTest.run(source.toString(), "--shims", "later");
        assertEquals(1, bad.status());
        assertTrue(bad.err().contains("--shims takes first, fallback or none, not `later'"), bad.err());
    }
}
