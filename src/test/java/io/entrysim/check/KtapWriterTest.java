package io.entrysim.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** KTAP as written, read back by a strict parser of the format. */
class KtapWriterTest {
    static String ktap(List<TestResult> results) {
        StringWriter s = new StringWriter();
        KtapWriter.write(new PrintWriter(s), results);
        return s.toString();
    }

    static final List<TestResult> MIXED = List.of(
            new TestResult("a.S", "a.S: --feature PTI", TestResult.Status.PASS, List.of(), 1),
            new TestResult("a.S", "a.S: fault #PF expected", TestResult.Status.FAIL,
                    List.of("a.S:3: ENTRYSIM-EXPECT: rax == 1", "  expected: rax == 1", "", "  actual:   rax is 0x0"), 2),
            new TestResult("b.S", "b.S: -I ../corpus", TestResult.Status.SKIP, List.of("-I ../corpus: no such directory"), 3));

    @Test
    void resultsDiagnosticsAndSkipsParseBack() {
        String text = ktap(MIXED);
        KtapParser.Document d = KtapParser.parse(text);
        assertEquals(3, d.plan());
        assertTrue(d.results().get(0).ok());
        assertEquals("a.S: --feature PTI", d.results().get(0).description());
        assertFalse(d.results().get(1).ok());
        assertEquals("a.S: fault %23PF expected", d.results().get(1).description(), "no # in a description");
        assertEquals(List.of("a.S:3: ENTRYSIM-EXPECT: rax == 1", "  expected: rax == 1", "", "  actual:   rax is 0x0"),
                d.results().get(1).diagnostics(), "diagnostics come right before their result line");
        assertTrue(d.results().get(2).ok(), "a skipped test's result is ok");
        assertEquals("SKIP", d.results().get(2).directive());
        assertEquals(List.of("1 passed, 1 failed, 1 skipped"), d.unknown());
        assertTrue(text.endsWith("1 passed, 1 failed, 1 skipped\n"), "the summary is the last line");
    }

    @Test
    void noSkipsNoSkipCount() {
        assertTrue(ktap(MIXED.subList(0, 2)).endsWith("\n1 passed, 1 failed\n"));
    }

    @Test
    void theParserRejectsWhatIsNotKtap() {
        assertThrows(IllegalArgumentException.class, () -> KtapParser.parse("TAP version 13\n1..0\n"));
        assertThrows(IllegalArgumentException.class, () -> KtapParser.parse("KTAP version 1\n1..2\nok 1 a\n"));
        assertThrows(IllegalArgumentException.class, () -> KtapParser.parse("KTAP version 1\n1..2\nok 1 a\nok 3 b\n"));
        assertThrows(IllegalArgumentException.class, () -> KtapParser.parse("KTAP version 1\n1..1\n#x\nok 1 a\n"));
        assertThrows(IllegalArgumentException.class, () -> KtapParser.parse("KTAP version 1\n1..1\nok 1 a\n# late\n"));
    }
}
