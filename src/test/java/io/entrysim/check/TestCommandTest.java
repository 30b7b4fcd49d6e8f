package io.entrysim.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code entrysim test} as a user runs it: the project's own samples must all pass (this is
 * where {@code mvn verify} checks {@code entrysim test asm-samples/}), a failing spec makes
 * exit 1 with a diagnostic block, bad paths are errors, and {@code --junit-xml} writes a report
 * of the same results.
 */
class TestCommandTest {
    @TempDir
    Path dir;

    record Result(int status, String out, String err) {}

    static Result test(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("test"));
        all.addAll(List.of(args));
        int status = Main.execute(all.toArray(new String[0]), new PrintWriter(out), new PrintWriter(err));
        return new Result(status, out.toString(), err.toString());
    }

    @Test
    void theSamplesPass() {
        Result r = test("asm-samples/");
        KtapParser.Document d = KtapParser.parse(r.out());
        List<String> failed = d.results().stream().filter(x -> !x.ok()).map(x -> x.description() + "\n"
                + String.join("\n", x.diagnostics())).toList();
        assertEquals(List.of(), failed);
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(d.plan() >= 10, "the samples carry specs: " + d.plan());
        long skipped = d.results().stream().filter(x -> "SKIP".equals(x.directive())).count();
        assertEquals(List.of((d.plan() - skipped) + " passed, 0 failed" + (skipped > 0 ? ", " + skipped + " skipped" : "")),
                d.unknown());
        System.out.printf("entrysim test asm-samples/: %d tests, %d skipped%n", d.plan(), skipped);
    }

    @Test
    void aFailingSpecExitsOneWithItsDiagnosticAndReproducer() throws Exception {
        Files.writeString(dir.resolve("a.S"), "# ENTRYSIM-RUN: --set rax={1,2}\n# ENTRYSIM-EXPECT: rax == 1\n\t.text\n\thlt\n");
        Result r = test(dir.toString());
        assertEquals(1, r.status());
        KtapParser.Document d = KtapParser.parse(r.out());
        assertTrue(d.results().get(0).ok());
        assertFalse(d.results().get(1).ok());
        assertEquals(List.of(dir.resolve("a.S") + ":2: ENTRYSIM-EXPECT: rax == 1", "  expected: rax == 1",
                "  actual:   rax is 0x2", "  at:       " + dir.resolve("a.S") + ":4 `hlt'",
                "reproduce: entrysim run " + dir.resolve("a.S") + " --set rax=2"), d.results().get(1).diagnostics());
        assertEquals(List.of("1 passed, 1 failed"), d.unknown());
    }

    @Test
    void aBuildErrorFailsEveryRunOfThatBuildWithTheDiagnostic() throws Exception {
        Files.writeString(dir.resolve("b.S"), "# ENTRYSIM-RUN: --feature {PTI,PCID}\n\t.text\n\tfrobnicate %rax\n");
        Result r = test(dir.resolve("b.S").toString());
        assertEquals(1, r.status());
        KtapParser.Document d = KtapParser.parse(r.out());
        assertEquals(2, d.plan());
        assertTrue(d.results().get(0).diagnostics().get(0).startsWith(dir.resolve("b.S") + ":3:"), d.results().toString());
        assertTrue(d.results().get(0).diagnostics().get(0).contains("error: no such instruction"), d.results().toString());
    }

    @Test
    void badPathsAndEmptyDirectoriesAreErrors() throws Exception {
        Result r = test(dir.resolve("nope.S").toString());
        assertEquals(1, r.status());
        assertTrue(r.err().contains("nope.S: No such file or directory"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        Files.writeString(dir.resolve("plain.S"), "\thlt\n");
        Result empty = test(dir.toString());
        assertEquals(1, empty.status());
        assertTrue(empty.err().contains("no spec files"), empty.err());
    }

    @Test
    void junitXmlReportsTheSameResults() throws Exception {
        Files.writeString(dir.resolve("a.S"), "# ENTRYSIM-RUN: --set rax={1,2}\n# ENTRYSIM-EXPECT: rax == 1\n\t.text\n\thlt\n");
        Path xml = dir.resolve("out/report.xml");
        Files.createDirectories(xml.getParent());
        Result r = test("--junit-xml", xml.toString(), dir.toString());
        assertEquals(1, r.status());
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        assertEquals(List.of(), JunitXmlWriterTest.violations(doc));
        assertEquals("2", doc.getDocumentElement().getAttribute("tests"));
        assertEquals("1", doc.getDocumentElement().getAttribute("failures"));
    }

    @Test
    void parallelAndSerialRunsGiveTheSameOutput() {
        Result one = test("-j", "1", "asm-samples/");
        Result many = test("-j", "4", "asm-samples/");
        assertEquals(one.out(), many.out());
    }
}
