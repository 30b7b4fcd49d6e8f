package io.entrysim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Main adds only the subcommand a command line names (a cold-start saving); without one, help and
 * the "missing command" error still list every subcommand, in their order.
 */
class SubcommandListTest {
    private static final String ALL = "run test equiv debug dap";

    private record Result(int status, String out, String err) {}

    private static Result execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(status, out.toString(), err.toString());
    }

    /** The names under "Commands:", in order. */
    private static String listed(String usage) {
        StringBuilder names = new StringBuilder();
        Matcher m = Pattern.compile("(?m)^  ([a-z]+)  ").matcher(usage.substring(usage.indexOf("Commands:")));
        while (m.find()) {
            names.append(names.length() > 0 ? " " : "").append(m.group(1));
        }
        return names.toString();
    }

    @Test
    void helpListsEverySubcommand() {
        Result r = execute("--help");
        assertEquals(0, r.status());
        assertTrue(r.out().startsWith("Usage: entrysim [-hV] [COMMAND]"), r.out());
        assertEquals(ALL, listed(r.out()));
    }

    @Test
    void noCommandSaysSoAndListsThem() {
        Result r = execute();
        assertEquals(1, r.status());
        assertTrue(r.err().startsWith("missing command (try: entrysim run FILE.S)"), r.err());
        assertEquals(ALL, listed(r.err()));
    }

    @Test
    void anUnknownCommandGetsTheNearestSuggested() {
        Result r = execute("dab");
        assertEquals(1, r.status());
        assertTrue(r.err().contains("Did you mean: entrysim dap?"), r.err());
    }

    @Test
    void aNamedSubcommandStillRunsUnderItsParentsName() {
        Result r = execute("equiv", "--help");
        assertEquals(0, r.status());
        assertTrue(r.out().startsWith("Usage: entrysim equiv"), r.out());
    }
}
