package io.entrysim.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** {@code __DATE__} and {@code __TIME__}, which are read from the clock only when a source uses them. */
class DateTimeMacroTest {
    @Test
    void dateIsTodaySpeltAsGccDoes() {
        DateTimeFormatter gcc = DateTimeFormatter.ofPattern("MMM ppd yyyy", Locale.ROOT);
        String before = '"' + LocalDate.now().format(gcc) + '"';
        String date = PpFixture.out(".ascii __DATE__\n");
        String after = '"' + LocalDate.now().format(gcc) + '"';
        assertTrue(date.equals(".ascii " + before) || date.equals(".ascii " + after), date);
        assertTrue(date.matches("\\.ascii \"[A-Z][a-z]{2} [ 123][0-9] [0-9]{4}\""), date);
    }

    @Test
    void timeIsAClockTimeAndOneReadingServesTheRun() {
        List<String> lines = PpFixture.lines(".ascii __TIME__\n.ascii __DATE__\n.ascii __TIME__\n");
        assertTrue(lines.get(0).matches("\\.ascii \"([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]\""), lines.get(0));
        assertEquals(lines.get(0), lines.get(2));
    }

    @Test
    void stillBuiltInsForDefinedAndUndef() {
        assertEquals("yes", PpFixture.out("#if defined(__DATE__) && defined(__TIME__)\nyes\n#endif\n"));
        assertEquals("__DATE__", PpFixture.out("#undef __DATE__\n__DATE__\n"));
    }
}
