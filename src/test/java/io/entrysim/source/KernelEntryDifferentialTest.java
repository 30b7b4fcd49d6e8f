package io.entrysim.source;
import io.entrysim.diag.AsmError;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The v4.15 entry_64.S / entry_64_compat.S with the real headers from the shared corpus, laid
 * out as in the kernel tree in a temp directory (headers the corpus lacks become empty stubs):
 * our output must be gcc's, token for token.
 */
class KernelEntryDifferentialTest {
    private static final Path CORPUS = KernelCallingGoldenTest.CORPUS;
    private static final Map<String, String> LAYOUT = new LinkedHashMap<>();

    static {
        String asm = "arch/x86/include/asm/";
        for (String h : List.of("alternative-asm", "alternative", "asm", "cpu_entry_area", "cpufeatures", "irqflags",
                "jump_label", "nops", "nospec-branch", "page_types", "percpu", "processor-flags", "tlbflush",
                "unwind_hints")) {
            LAYOUT.put(h + "-v4.15.h", asm + h + ".h");
        }
        LAYOUT.put("asm-linkage-v4.15.h", asm + "linkage.h");
        LAYOUT.put("uapi-processor-flags-v4.15.h", "arch/x86/include/uapi/asm/processor-flags.h");
        LAYOUT.put("uapi-const-v4.15.h", "include/uapi/linux/const.h");
        LAYOUT.put("linkage-v4.15.h", "include/linux/linkage.h");
        LAYOUT.put("linux-jump_label-v4.15.h", "include/linux/jump_label.h");
        LAYOUT.put("stringify-v4.15.h", "include/linux/stringify.h");
        LAYOUT.put("calling-v4.15.h", "arch/x86/entry/calling.h");
        LAYOUT.put("entry_64-v4.15.S", "arch/x86/entry/entry_64.S");
        LAYOUT.put("entry_64_compat-v4.15.S", "arch/x86/entry/entry_64_compat.S");
    }

    private static final List<String> INCLUDE_DIRS = List.of("arch/x86/include", "arch/x86/include/uapi", "include",
            "include/uapi", "stubs");
    private static final Map<String, String> DEFINES = new LinkedHashMap<>(Map.of("CONFIG_X86_64", "1",
            "CONFIG_PAGE_TABLE_ISOLATION", "1", "CONFIG_RETPOLINE", "1", "CONFIG_SMP", "1"));

    @TempDir
    static Path tree;

    private static boolean corpusPresent;

    @BeforeAll
    static void layOutTree() throws IOException {
        corpusPresent = LAYOUT.keySet().stream().allMatch(file -> Files.exists(CORPUS.resolve(file)));
        if (!corpusPresent) {
            return;
        }
        for (Map.Entry<String, String> e : LAYOUT.entrySet()) {
            Path target = tree.resolve(e.getValue());
            Files.createDirectories(target.getParent());
            Files.copy(CORPUS.resolve(e.getKey()), target);
        }
        for (String main : List.of("entry_64.S", "entry_64_compat.S")) {
            stubMissingHeaders(tree.resolve("arch/x86/entry").resolve(main));
        }
    }

    @BeforeEach
    void requireCorpus() {
        Assumptions.assumeTrue(corpusPresent, CORPUS + " (v4.15 entry files and headers) absent: skipped");
    }

    /** Creates an empty header for each one the corpus does not have, until the file goes through. */
    private static void stubMissingHeaders(Path main) throws IOException {
        for (int i = 0; i < 100; i++) {
            try {
                preprocessor().preprocess(main);
                return;
            } catch (AsmError e) {
                String suffix = ": No such file or directory";
                if (!e.getMessage().endsWith(suffix)) {
                    throw e;
                }
                Path stub = tree.resolve("stubs").resolve(e.getMessage().substring(0, e.getMessage().length() - suffix.length()));
                Files.createDirectories(stub.getParent());
                Files.writeString(stub, "/* stub */\n");
            }
        }
        throw new AssertionError("too many missing headers");
    }

    private static List<Path> includeDirs() {
        return INCLUDE_DIRS.stream().map(tree::resolve).toList();
    }

    private static Preprocessor preprocessor() {
        List<IncludeRoot> roots = new ArrayList<>();
        for (Path dir : includeDirs()) {
            roots.add(new DirectoryRoot(dir));
        }
        return new Preprocessor(new PreprocessorConfig(roots, DEFINES, Set.of()));
    }

    private static Path entry(String name) {
        return tree.resolve("arch/x86/entry").resolve(name);
    }

    @Test
    void entry64Landmarks() {
        List<SourceLine> out = preprocessor().preprocess(entry("entry_64.S"));
        List<String> texts = out.stream().map(SourceLine::text).toList();
        assertTrue(texts.contains(".globl entry_SYSCALL_64 ; .p2align 4, 0x90 ; entry_SYSCALL_64:"), "ENTRY() expanded");
        assertTrue(texts.contains("\tmovq %rsp, %gs:rsp_scratch"), "PER_CPU_VAR expanded");
        assertTrue(texts.contains("\tSWITCH_TO_KERNEL_CR3 scratch_reg=%rsp"), "gas macro use kept");
        SourceLine use = out.stream().filter(l -> l.text().equals("\tSWITCH_TO_KERNEL_CR3 scratch_reg=%rsp")).findFirst()
                .orElseThrow();
        assertEquals(entry("entry_64.S").toString(), use.origin().pos().file());
        assertEquals(List.of(), use.origin().chain());
    }

    @Test
    void entry64MatchesHostCpp() {
        HostCpp.assumeAvailable();
        Path main = entry("entry_64.S");
        assertEquals(HostCpp.preprocess(main, includeDirs(), DEFINES),
                HostCpp.normalizedTexts(preprocessor().preprocess(main)));
    }

    @Test
    void entry64CompatMatchesHostCpp() {
        HostCpp.assumeAvailable();
        Path main = entry("entry_64_compat.S");
        assertEquals(HostCpp.preprocess(main, includeDirs(), DEFINES),
                HostCpp.normalizedTexts(preprocessor().preprocess(main)));
    }

    /**
     * A reused Preprocessor (its lexed-file cache warm) gives a fresh one's output every run. Speed
     * is measured by bin/bench (PreprocessBenchmark), never by a timed test.
     */
    @Test
    void reusedPreprocessorGivesTheSameOutputEveryRun() {
        Preprocessor pp = preprocessor();
        Path main = entry("entry_64.S");
        List<SourceLine> fresh = preprocessor().preprocess(main);
        for (int i = 0; i < 3; i++) {
            assertEquals(fresh, pp.preprocess(main), "run " + (i + 1));
        }
    }
}
