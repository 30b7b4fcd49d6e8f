package io.entrysim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every subcommand's {@code --help} prints cleanly: no picocli format warning (a bare % in a description). */
class HelpTextTest {
    @ParameterizedTest
    @ValueSource(strings = {"run", "test", "equiv", "debug", "dap"})
    void helpHasNoFormatWarnings(String command) {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        StringWriter out = new StringWriter();
        int status;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            status = Main.execute(new String[] {command, "--help"}, new PrintWriter(out), new PrintWriter(new StringWriter()));
        } finally {
            System.setErr(saved);
        }
        assertEquals(0, status);
        assertTrue(out.toString().contains("Usage: entrysim " + command), out.toString());
        assertFalse(captured.toString(StandardCharsets.UTF_8).contains("picocli WARN"), captured.toString(StandardCharsets.UTF_8));
    }
}
