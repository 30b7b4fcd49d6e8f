package io.entrysim.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExcerptsTest {
    @Test
    void keptLinesReturnToTheirOriginalNumbers() throws Exception {
        Path excerpt = CorpusRun.corpus().resolve("entry_64-v4.15.S");
        List<String> original = Files.readAllLines(excerpt);
        String[] rebuilt = Excerpts.reassemble(excerpt).split("\n", -1);
        // the marker for "lines 108-425" is followed by original line 108
        int marker = original.indexOf("/* ==== arch/x86/entry/entry_64.S lines 108-425 ==== */");
        assertTrue(marker > 0);
        assertEquals(original.get(marker + 1), rebuilt[108 - 1]);
        assertEquals(original.get(marker + 318), rebuilt[425 - 1]);
        assertEquals("/*", rebuilt[107 - 1], "section 108- starts inside a comment: an opener is put in the gap");
        assertEquals("", rebuilt[60 - 1], "dropped lines are blank");
    }
}
