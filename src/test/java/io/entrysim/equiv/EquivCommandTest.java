package io.entrysim.equiv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.entrysim.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code entrysim equiv} on the project's equiv samples and on small variants written here. */
class EquivCommandTest {
    static final String MASK = "mem %gs:cpu_tlbstate+TLB_STATE_user_pcid_flush_mask:2";
    static final Path CORPUS = Path.of("../shared/corpus/kernel");

    @TempDir
    Path dir;

    record Result(int status, String out, String err) {}

    static Result equiv(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("equiv"));
        all.addAll(List.of(args));
        int status = Main.execute(all.toArray(new String[0]), new PrintWriter(out), new PrintWriter(err));
        return new Result(status, out.toString(), err.toString());
    }

    @Test
    void thePlantedNoflushIsFoundAndShrunkToTheSmallestInput() {
        Result r = equiv("asm-samples/equiv/to-user.S", "asm-samples/equiv/to-user-planted.S", "--feature", "PTI,PCID",
                "--over", "cr3 in {0x1c0a001,0x1c0a002,0x1c0a006}", "--over", MASK + " in 0..255");
        assertEquals(3, r.status(), r.out() + r.err());
        List<String> lines = r.out().lines().toList();
        // PCID 1 is the simplest CR3; its bit (0x2) the smallest mask that takes the flush path
        assertEquals("  state: cr3=0x1c0a001 " + MASK + "=0x2", lines.get(1));
        assertEquals("  CR3 write #1: A flush 0x1c0b801, B noflush 0x1c0b801", lines.get(2));
        assertTrue(lines.stream().anyMatch(l -> l.contains("orq $0x1800,%rdi") && l.contains("| ")
                && l.contains("bts $63,%rdi")), "traces side by side where they diverge:\n" + r.out());
    }

    @Test
    void aVariantIsEquivalentToItselfOverEveryState() {
        Result r = equiv("asm-samples/equiv/to-user.S", "asm-samples/equiv/to-user.S", "--feature", "PTI,PCID",
                "--over", "cr3 in {0x1c0a001,0x1c0a002}", "--over", MASK + " in 0..63");
        assertEquals(0, r.status(), r.out() + r.err());
        assertEquals("equivalent over 128 states\n", r.out());
    }

    @Test
    void btThenBtrAndOneBtrAgreeOnCr3WritesAndMemory() {
        Result r = equiv("asm-samples/bt-vs-btr.S", "asm-samples/bt-vs-btr.S", "--entry-a", "bt_then_btr", "--entry-b",
                "single_btr", "--feature", "PTI,PCID", "--over", "cr3 in {0x1c0a001,0x1c0a005}",
                "--over", "mem %gs:FLUSH_MASK:2 in 0..511");
        assertEquals(0, r.status(), r.out() + r.err());
        assertEquals("equivalent over 1024 states\n", r.out());
    }

    @Test
    void seedEraAndV415SwitchToKernelCr3AgreeWithPtiAndDifferWithout() {
        assumeTrue(Files.isDirectory(CORPUS), "../shared/corpus/kernel is absent: skipped");
        String[] common = {"asm-samples/equiv/kernel-cr3-v415.S", "asm-samples/equiv/kernel-cr3-seed.S", "-I", CORPUS.toString(),
            "-DCONFIG_PAGE_TABLE_ISOLATION", "-DCONFIG_KAISER", "--over", "cr3 in 0x1c0b000..0x1c0b9ff"};
        List<String> agree = new ArrayList<>(List.of(common));
        agree.addAll(List.of("--over", "feature in {PTI+PCID,PTI}"));
        Result r = equiv(agree.toArray(new String[0]));
        assertEquals(0, r.status(), r.out() + r.err());
        assertEquals("equivalent over 5120 states\n", r.out());
        // without PTI, v4.15 leaves CR3 alone while the seed-era macro (a static key, default on) switches
        List<String> disagree = new ArrayList<>(List.of(common));
        disagree.addAll(List.of("--over", "feature in {PTI,}", "--json"));
        Result d = equiv(disagree.toArray(new String[0]));
        assertEquals(3, d.status(), d.out() + d.err());
        JsonObject c = JsonParser.parseString(d.out()).getAsJsonObject().getAsJsonObject("counterexample");
        assertEquals("[\"cr3=0x1c0b000\",\"feature=(none)\"]", c.getAsJsonArray("state").toString());
        assertEquals("CR3 write #1", c.get("observable").getAsString());
        assertEquals("(none)", c.get("a").getAsString());
        assertEquals("flush 0x1c0a000", c.get("b").getAsString());
    }

    @Test
    void scratchRegistersCanBeIgnored() throws Exception {
        Path a = dir.resolve("a.S");
        Path b = dir.resolve("b.S");
        Files.writeString(a, "\t.text\n\tmovq $1, %rax\n\tmovq $5, %rcx\n\thlt\n");
        Files.writeString(b, "\t.text\n\tmovq $7, %rcx\n\tmovq $1, %rax\n\tmovq $5, %rcx\n\tmovq $9, %rdx\n\thlt\n");
        Result r = equiv(a.toString(), b.toString());
        assertEquals(3, r.status());
        assertTrue(r.out().contains("  rdx: A 0x0, B 0x9"), r.out());
        assertTrue(r.out().contains("state: (the starting state)"), r.out());
        assertEquals(0, equiv(a.toString(), b.toString(), "--ignore", "rdx").status());
    }

    static String withHandler(String handler) {
        return "\t.section .entry.text, \"ax\"\n\tmovq $1, %rax\n\tmovq $2, %rbx\n\thlt\nnmi:\n" + handler + "\tiretq\n";
    }

    @Test
    void nmiEachComparesWhatEveryInterleavingCanReach() throws Exception {
        Path a = dir.resolve("a.S");
        Path b = dir.resolve("b.S");
        Files.writeString(a, withHandler("\tpushq %rdx\n\tmovq $9, %rdx\n\tpopq %rdx\n"));
        Files.writeString(b, withHandler("\tmovq $9, %rdx\n"));
        assertEquals(0, equiv(a.toString(), b.toString(), "--machine", "pti").status(), "without NMIs they agree");
        Result r = equiv(a.toString(), b.toString(), "--machine", "pti", "--nmi", "each");
        assertEquals(3, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("  state: NMI before step 1 of B\n"), r.out());
        assertTrue(r.out().contains("  rdx (no NMI interleaving of the other variant gives it): A 0x0, B 0x9"), r.out());
        assertEquals(0, equiv(a.toString(), a.toString(), "--machine", "pti", "--nmi", "each").status());
        Result bad = equiv(a.toString(), b.toString(), "--nmi", "sometimes");
        assertEquals(1, bad.status());
        assertTrue(bad.err().contains("--nmi takes `each'"), bad.err());
    }

    @Test
    void aDomainTooLargeIsSampledWithItsSeedPrinted() {
        Result r = equiv("asm-samples/equiv/to-user.S", "asm-samples/equiv/to-user.S", "--feature", "PTI,PCID",
                "--over", "cr3 in {0x1c0a001,0x1c0a002}", "--over", MASK + " in *", "--max-states", "50", "--seed", "42");
        assertEquals(0, r.status(), r.err());
        assertEquals("equivalent over 50 states (sampled, seed 42)\n", r.out());
    }

    @Test
    void badClausesAreLocatedErrorsWithoutAStackTrace() {
        for (String clause : List.of("cr3 = 5", "cr3 in 5..1", "feature in PTI", "static-key k in {2}", "rax in {}x")) {
            Result r = equiv("asm-samples/equiv/to-user.S", "asm-samples/equiv/to-user.S", "--over", clause);
            assertEquals(1, r.status(), clause);
            assertTrue(r.err().startsWith("<--over " + clause + ">:1:1: error: "), clause + ": " + r.err());
            assertFalse(r.err().contains("Exception"), r.err());
        }
        Result missing = equiv("asm-samples/equiv/to-user.S", "nope.S");
        assertEquals(1, missing.status());
        assertTrue(missing.err().contains("nope.S: No such file"), missing.err());
    }
}
