package io.entrysim.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.entrysim.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --kernel-tree}: a snippet that invokes a tree's own {@code SWITCH_TO_KERNEL_CR3} runs with
 * nothing but the tree and the features — no {@code -I}, no {@code -D}, no shim deciding
 * ALTERNATIVE: the tree's alternatives are patched at boot. v6.6.87 is built (its autoconf.h),
 * v4.15 is not (entrysim's default configuration and generated headers).
 */
class KernelTreeRunTest {
    static final String SNIPPET = """
            #include <linux/linkage.h>
            #include <asm/percpu.h>
            #include <asm/alternative-asm.h>
            #include "calling.h"
            \t.text
            \tSWITCH_TO_KERNEL_CR3 scratch_reg=%rax
            \thlt
            """;

    @ParameterizedTest(name = "{0} --feature {1}")
    @CsvSource({
        "v4.15, 'PTI,PCID', 0x1c0b801, 0x8000000001c0a001",
        "v4.15, PTI, 0x1c0b000, 0x1c0a000",
        "v4.15, '', 0x1c0b000, ''",
        "v6.6.87, 'PTI,PCID', 0x1c0b801, 0x8000000001c0a001",
        "v6.6.87, PTI, 0x1c0b000, 0x1c0a000",
        "v6.6.87, '', 0x1c0b000, ''",
    })
    void theTreesOwnMacrosRunWithTheTreeAlone(String version, String features, String cr3, String written,
                                                 @TempDir Path dir) throws IOException {
        Path tree = CorpusRun.corpus().resolve("trees").resolve(version).toAbsolutePath();
        Assumptions.assumeTrue(Files.isDirectory(tree), tree + " is absent: skipped");
        Path source = dir.resolve("snippet.S");
        // v6.x's calling.h includes what it needs; v4.x's relies on entry_64.S having included alternative-asm.h
        Files.writeString(source, version.startsWith("v4") ? SNIPPET
                : SNIPPET.replace("#include <asm/alternative-asm.h>\n", "#include <asm/alternative.h>\n"));
        List<String> args = new ArrayList<>(List.of("run", source.toString(), "--kernel-tree", tree.toString(),
                "--set", "cr3=" + cr3, "--json"));
        if (!features.isEmpty()) {
            args.addAll(List.of("--feature", features));
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.execute(args.toArray(new String[0]), new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, status, err.toString());
        JsonObject j = JsonParser.parseString(out.toString()).getAsJsonObject();
        List<String> writes = new ArrayList<>();
        j.getAsJsonArray("cr3_writes").forEach(w -> writes.add(w.getAsString()));
        assertEquals(written.isEmpty() ? List.of() : List.of(written), writes);
        assertEquals(features.contains("PTI"), j.has("boot_patches"), out.toString());
        assertEquals("hlt", j.get("stop").getAsString());
        assertTrue(err.toString().isEmpty() || !err.toString().contains("error"), err.toString());
    }

    /** A tree macro used without the header that defines it: the error says where the tree has it. */
    @org.junit.jupiter.api.Test
    void aMacroTheFileDidNotIncludeIsNamedAsSuch(@TempDir Path dir) throws IOException {
        Path tree = CorpusRun.corpus().resolve("trees/v6.6.87").toAbsolutePath();
        Assumptions.assumeTrue(Files.isDirectory(tree), tree + " is absent: skipped");
        Path source = dir.resolve("nocalling.S");
        Files.writeString(source, "\tSWITCH_TO_KERNEL_CR3 scratch_reg=%rax\n");
        StringWriter err = new StringWriter();
        int status = Main.execute(new String[] {"run", source.toString(), "--kernel-tree", tree.toString()},
                new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(1, status);
        assertTrue(err.toString().contains("`SWITCH_TO_KERNEL_CR3' is a macro of this tree, defined at "
                + "arch/x86/entry/calling.h:"), err.toString());
    }
}
