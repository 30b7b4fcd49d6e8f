package io.entrysim.assemble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.entrysim.cli.Main;
import io.entrysim.diag.InternalFailure;
import io.entrysim.parse.Statement;
import io.entrysim.session.BuildOptions;
import io.entrysim.session.Toolchain;
import io.entrysim.source.SourceFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bug that escapes a stage (here made to happen in the assembler, through its test hook) is
 * reported at the statement being processed, {@code file:line:col: internal error: ... (please
 * report)} with the macro chain, and exit status 1: never a stack trace.
 */
class InternalFailureTest {
    private static final String SOURCE = String.join("\n",
            ".macro twice",
            "\tnop",
            "\tnop",                      // line 3: fails in the second expansion
            ".endm",
            "\tmovq $1, %rax",
            "\ttwice",                    // line 6
            "\thlt",
            "");

    @AfterEach
    void unhook() {
        Assembler.FAULT_INJECTION.remove();
    }

    private static void failAtLine(int line, RuntimeException bug) {
        Consumer<Statement> hook = s -> {
            if (s.origin().pos().line() == line) {
                throw bug;
            }
        };
        Assembler.FAULT_INJECTION.set(hook);
    }

    @Test
    void aBugInTheAssemblerIsReportedWhereItHappened() {
        failAtLine(3, new IllegalStateException("injected"));
        InternalFailure e = assertThrows(InternalFailure.class,
                () -> Toolchain.build(new SourceFile("t.S", SOURCE), BuildOptions.defaults()));
        assertEquals("t.S:3:2: internal error: assemble: IllegalStateException: injected (please report)\n"
                + "  in expansion of macro twice at t.S:6", e.format());
        assertEquals("injected", e.bug().getMessage());
    }

    @Test
    void theCommandLineShowsItWithoutAStackTrace(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("t.S");
        Files.writeString(f, SOURCE);
        failAtLine(5, new NullPointerException());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.execute(new String[] {"run", f.toString()}, new PrintWriter(out), new PrintWriter(err));
        assertEquals(1, status);
        assertTrue(err.toString().startsWith(f + ":5:2: internal error: assemble: NullPointerException (please report)\n"),
                err.toString());
        assertFalse(err.toString().contains("\tat "), err.toString());

        StringWriter json = new StringWriter();
        assertEquals(1, Main.execute(new String[] {"run", f.toString(), "--json"}, new PrintWriter(json),
                new PrintWriter(new StringWriter())));
        JsonObject error = JsonParser.parseString(json.toString()).getAsJsonObject().getAsJsonObject("error");
        assertEquals(f + ":5:2", error.get("at").getAsString());
        assertTrue(error.get("message").getAsString().endsWith("(please report)"), json.toString());
    }

    @Test
    void aStackOverflowIsCaughtAtTheBoundaryToo() {
        Assembler.FAULT_INJECTION.set(s -> {
            throw new StackOverflowError();
        });
        // the stage catches Errors of this one kind as well (deep recursion is a bug's typical shape)
        InternalFailure e = assertThrows(InternalFailure.class,
                () -> Toolchain.build(new SourceFile("t.S", SOURCE), BuildOptions.defaults()));
        assertTrue(e.format().startsWith("t.S:5:2: internal error: assemble: StackOverflowError"), e.format());
    }
}
