package io.entrysim.cli;

import io.entrysim.assemble.Insn;
import io.entrysim.debug.Debugger;
import io.entrysim.debug.Registers;
import io.entrysim.diag.Site;
import io.entrysim.session.Build;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.jline.reader.Candidate;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The interactive side of {@code entrysim debug}: a JLine prompt with history (kept in
 * {@code ~/.entrysim_history}), tab completion of commands, labels, macros and registers, and
 * Ctrl-C, which at the prompt clears the line and during {@code continue} stops the machine at
 * the next instruction boundary.
 */
final class DebugConsole {
    private DebugConsole() {}

    static final String PROMPT = "(entrysim) ";

    /** Reads commands until {@code quit} or end of input; {@code out} is where {@code commands} print. */
    static void run(Debugger dbg, Build build, GdbCommands commands, PrintWriter out) {
        // dumb(true): with standard input not a terminal (a pipe), read lines plainly, without a warning
        try (Terminal terminal = TerminalBuilder.builder().system(true).dumb(true).build()) {
            LineReader reader = LineReaderBuilder.builder()
                    .terminal(terminal)
                    .appName("entrysim")
                    .completer((r, line, candidates) -> {
                        List<String> words = line.wordIndex() == 0 ? commandWords() : argumentWords(build, line.words());
                        for (String w : words) {
                            candidates.add(new Candidate(w));
                        }
                    })
                    .variable(LineReader.HISTORY_FILE, Path.of(System.getProperty("user.home"), ".entrysim_history"))
                    .build();
            // while a command runs (the reader is not reading), Ctrl-C interrupts the machine
            terminal.handle(Terminal.Signal.INT, signal -> dbg.interrupt());
            GdbCommands console = commands;
            while (!console.quitRequested()) {
                String line;
                try {
                    line = reader.readLine(PROMPT);
                } catch (UserInterruptException e) {
                    continue; // Ctrl-C at the prompt: a fresh line, as gdb does
                } catch (EndOfFileException e) {
                    out.println("quit");
                    out.flush();
                    break;
                }
                console.execute(line);
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> commandWords() {
        List<String> words = new ArrayList<>(GdbCommands.COMMANDS.keySet());
        return words;
    }

    /** After {@code info}: its subcommands; elsewhere labels, macro names, {@code $registers}, {@code macro}. */
    private static List<String> argumentWords(Build build, List<String> words) {
        if (!words.isEmpty() && (words.get(0).equals("info") || words.get(0).equals("i"))) {
            return List.of("registers", "breakpoints", "watchpoints", "frame", "cr", "tlb", "percpu", "macro", "display");
        }
        TreeSet<String> out = new TreeSet<>(build.program().symbols().keySet());
        for (Insn insn : build.program().code()) {
            if (insn.origin != null) {
                for (Site s : insn.origin.macroChain()) {
                    out.add(s.name());
                }
            }
        }
        for (String r : Registers.names()) {
            out.add("$" + r);
        }
        out.add("macro");
        return new ArrayList<>(out);
    }
}
