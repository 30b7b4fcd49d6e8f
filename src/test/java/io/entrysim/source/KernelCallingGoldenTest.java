package io.entrysim.source;
import io.entrysim.diag.SourcePos;
import io.entrysim.diag.Site;
import io.entrysim.diag.Origin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * v4.15 {@code arch/x86/entry/calling.h} (read from the shared corpus) through a tiny .S with
 * {@code -DCONFIG_X86_64 -DCONFIG_PAGE_TABLE_ISOLATION} and small stand-in headers.
 */
class KernelCallingGoldenTest {
    static final Path CORPUS = Path.of("../shared/corpus/kernel");
    static final String CALLING = "calling-v4.15.h";

    private static final Map<String, String> STUBS = Map.of(
            "linux/jump_label.h", "/* stub */\n",
            "asm/unwind_hints.h", ".macro UNWIND_HINT_REGS base=%rsp, offset=0, indirect=0, extra=1, iret=0\n.endm\n",
            "asm/cpufeatures.h", "#define X86_FEATURE_PCID\t\t( 4*32+17)\n#define X86_FEATURE_PTI\t\t\t( 7*32+11)\n",
            "asm/page_types.h", "#define PAGE_SHIFT\t\t12\n",
            "asm/percpu.h", "#define __percpu_seg\t\tgs\n#define PER_CPU_VAR(var)\t%__percpu_seg:var\n",
            "asm/asm-offsets.h", "/* generated offsets: none needed here */\n",
            "asm/processor-flags.h", "#define X86_CR3_PCID_NOFLUSH_BIT\t63\n#define X86_CR3_PTI_PCID_USER_BIT\t11\n");

    private static final String MAIN = "#include \"" + CALLING + "\"\n\tSWITCH_TO_KERNEL_CR3 scratch_reg=%rax\n";
    private static final Map<String, String> DEFINES = new LinkedHashMap<>(Map.of(
            "CONFIG_X86_64", "1", "CONFIG_PAGE_TABLE_ISOLATION", "1"));

    @TempDir
    Path tmp;
    private Path stubs;

    @BeforeEach
    void writeStubs() throws IOException {
        Assumptions.assumeTrue(Files.exists(CORPUS.resolve(CALLING)), CORPUS + "/" + CALLING + " absent: skipped");
        stubs = tmp.resolve("stubs");
        for (Map.Entry<String, String> stub : STUBS.entrySet()) {
            Path file = stubs.resolve(stub.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, stub.getValue());
        }
    }

    private List<SourceLine> preprocess() {
        Preprocessor pp = new Preprocessor(new PreprocessorConfig(
                List.of(new DirectoryRoot(stubs), new DirectoryRoot(CORPUS)), DEFINES, Set.of()));
        return pp.preprocess(new SourceFile("entry.S", MAIN));
    }

    private static SourceLine find(List<SourceLine> lines, String text) {
        return lines.stream().filter(l -> l.text().equals(text)).findFirst()
                .orElseThrow(() -> new AssertionError("no line " + text));
    }

    @Test
    void pageTableIsolationMacrosExpand() {
        List<SourceLine> out = preprocess();
        String file = CORPUS.resolve(CALLING).toString();
        List<Site> chain = List.of(Site.include(CALLING, new SourcePos("entry.S", 1, 1)));

        SourceLine nostack = out.stream().filter(l -> l.text().startsWith(".macro SWITCH_TO_USER_CR3_NOSTACK "))
                .findFirst().orElseThrow();
        assertTrue(nostack.text().endsWith(" scratch_reg:req scratch_reg2:req"), nostack.text());
        assertEquals(new Origin(new SourcePos(file, 228, 1), chain), nostack.origin());
        assertEquals(new SourcePos(file, 253, 1), find(out, "\torq $((1 << 11)), \\scratch_reg").origin().pos());
        assertEquals(new SourcePos(file, 257, 1), find(out, "\torq $((1 << 12)), \\scratch_reg").origin().pos());
        assertEquals(new SourcePos(file, 214, 1),
                find(out, "\tandq $(~((1 << 11) | (1 << 12))), \\reg").origin().pos());
        assertEquals(new SourcePos(file, 208, 1), find(out, "\tbts $63, \\reg").origin().pos());
        assertEquals(new SourcePos(file, 218, 1),
                find(out, "\tALTERNATIVE \"jmp .Lend_\\@\", \"\", ( 7*32+11)").origin().pos());
        assertEquals(2, out.stream().filter(l -> l.text().equals(
                "\tbt \\scratch_reg, %gs:cpu_tlbstate + TLB_STATE_user_pcid_flush_mask")).count());
        assertEquals(new SourcePos(file, 277, 1), find(out, "\tbt $12, \\scratch_reg").origin().pos());
        // The PAGE_TABLE_ISOLATION=n branch is gone, and no directive or config name is left.
        assertEquals(1, out.stream().filter(l -> l.text().startsWith(".macro SWITCH_TO_KERNEL_CR3")).count());
        assertTrue(out.stream().noneMatch(l -> l.text().startsWith("#") || l.text().contains("CONFIG_")));
        // The stub headers contributed their .macro, and the .S's own line comes last.
        assertEquals(".macro UNWIND_HINT_REGS base=%rsp, offset=0, indirect=0, extra=1, iret=0", out.get(0).text());
        SourceLine last = out.get(out.size() - 1);
        assertEquals("\tSWITCH_TO_KERNEL_CR3 scratch_reg=%rax", last.text());
        assertEquals(Origin.at(new SourcePos("entry.S", 2, 1)), last.origin());
    }

    @Test
    void sameTokensAsHostCpp() throws IOException {
        HostCpp.assumeAvailable();
        Path main = tmp.resolve("entry.S");
        Files.writeString(main, MAIN);
        List<String> gcc = HostCpp.preprocess(main, List.of(stubs, CORPUS), DEFINES);
        assertEquals(gcc, HostCpp.normalizedTexts(preprocess()));
        assertTrue(gcc.size() > 100, "calling.h should give a substantial output, got " + gcc.size());
    }
}
