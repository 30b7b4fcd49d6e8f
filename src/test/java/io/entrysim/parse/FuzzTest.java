package io.entrysim.parse;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.entrysim.diag.AsmError;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Bad input must only ever produce AsmError (never another exception), with a sane column. */
class FuzzTest {
    private static final String[] PIECES = {
        "movq", "lock", "rep", ".quad", ".section", ".set", "x", ".L1", "1", "0x1f", "0b", "1f", "2b",
        "%rax", "%gs", "%", "$", "*", "(", ")", ",", ":", ";", "=", "==", "+", "-", "<<", "<", ">",
        "!", "!!", "~", "&&", "'", "'a", "\"s\"", "\"", "@progbits", "#", "\\", "?", " ", " ", "\t", "08",
        "99999999999999999999999", "sym$1", "."};

    @Test
    void randomTokenSoupNeverCrashes() {
        Random rnd = new Random(42);
        StatementParser parser = new StatementParser();
        GasConditionEvaluator cond = new GasConditionEvaluator();
        int errors = 0;
        for (int i = 0; i < 5_000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = 1 + rnd.nextInt(8);
            for (int k = 0; k < n; k++) {
                sb.append(PIECES[rnd.nextInt(PIECES.length)]);
                if (rnd.nextBoolean()) {
                    sb.append(' ');
                }
            }
            String line = sb.toString();
            errors += survives(() -> Lines.parse(line), line);
            errors += survives(() -> cond.evaluate(line, Lines.ORIGIN, Map.of("x", 1L)::get,
                    io.entrysim.macro.ConditionEvaluator.NOT_ABSOLUTE), line);
        }
        assertTrue(errors > 2_500, "the soup should mostly be invalid: " + errors);
    }

    private static int survives(Runnable r, String line) {
        try {
            r.run();
            return 0;
        } catch (AsmError e) {
            int col = e.origin().pos().column();
            if (col < 1 || col > line.length() + 1) {
                fail("column " + col + " outside the line for: " + line + " -> " + e.getMessage());
            }
            return 1;
        } catch (RuntimeException e) {
            throw new AssertionError("non-AsmError for [" + line + "]: " + e, e);
        }
    }
}
