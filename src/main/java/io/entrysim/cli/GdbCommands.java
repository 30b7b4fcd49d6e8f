package io.entrysim.cli;

import io.entrysim.assemble.Insn;
import io.entrysim.debug.Breakpoint;
import io.entrysim.debug.Debugger;
import io.entrysim.debug.Frame;
import io.entrysim.debug.Stop;
import io.entrysim.debug.Watchpoint;
import io.entrysim.diag.AsmError;
import io.entrysim.diag.Diagnostics;
import io.entrysim.exec.Violation;
import io.entrysim.session.Build;
import io.entrysim.session.RunOutcome;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * gdb's command language over the {@link Debugger}: command names and abbreviations as gdb has
 * them (unique prefixes too), output in gdb's shapes, an empty line repeating the last
 * execution command. One line in, text out; the terminal (JLine) and batch front ends feed it.
 */
final class GdbCommands {
    /** Canonical command names with their gdb abbreviations. */
    static final Map<String, List<String>> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("break", List.of("b", "br", "bre", "brea"));
        COMMANDS.put("tbreak", List.of("tb"));
        COMMANDS.put("delete", List.of("d"));
        COMMANDS.put("disable", List.of("dis", "disa"));
        COMMANDS.put("enable", List.of("en"));
        COMMANDS.put("condition", List.of());
        COMMANDS.put("watch", List.of("wa"));
        COMMANDS.put("continue", List.of("c", "cont", "fg"));
        COMMANDS.put("step", List.of("s"));
        COMMANDS.put("next", List.of("n"));
        COMMANDS.put("stepi", List.of("si"));
        COMMANDS.put("nexti", List.of("ni"));
        COMMANDS.put("finish", List.of("fin"));
        COMMANDS.put("reverse-step", List.of("rs"));
        COMMANDS.put("reverse-next", List.of("rn"));
        COMMANDS.put("reverse-stepi", List.of("rsi"));
        COMMANDS.put("reverse-nexti", List.of("rni"));
        COMMANDS.put("reverse-finish", List.of());
        COMMANDS.put("reverse-continue", List.of("rc"));
        COMMANDS.put("run", List.of("r"));
        COMMANDS.put("start", List.of());
        COMMANDS.put("nmi", List.of());
        COMMANDS.put("irq", List.of());
        COMMANDS.put("info", List.of("i", "inf"));
        COMMANDS.put("print", List.of("p", "inspect"));
        COMMANDS.put("x", List.of());
        COMMANDS.put("display", List.of("disp"));
        COMMANDS.put("undisplay", List.of("undisp"));
        COMMANDS.put("backtrace", List.of("bt", "where"));
        COMMANDS.put("frame", List.of("f"));
        COMMANDS.put("up", List.of());
        COMMANDS.put("down", List.of("do"));
        COMMANDS.put("list", List.of("l"));
        COMMANDS.put("help", List.of("h"));
        COMMANDS.put("quit", List.of("q", "exit"));
    }

    /** Commands an empty line repeats, as gdb repeats them. */
    private static final List<String> REPEATABLE = List.of("step", "next", "stepi", "nexti", "continue",
            "reverse-step", "reverse-next", "reverse-stepi", "reverse-nexti", "reverse-continue", "list", "x");

    private final Debugger dbg;
    private final PrintWriter out;
    private final GdbInfo info;
    private final StopPrinter stops;
    /** The source file, as {@code run} and {@code start} announce it. */
    private final String program;
    private String lastRepeatable;
    private boolean quit;

    GdbCommands(Debugger dbg, Build build, String program, PrintWriter out) {
        this(dbg, build, program, out, java.util.Map.of());
    }

    /** With {@code inMemory}: sources that are no file (a scenario's driver), by the name origins give them. */
    GdbCommands(Debugger dbg, Build build, String program, PrintWriter out, java.util.Map<String, String> inMemory) {
        this.dbg = dbg;
        this.program = program;
        this.out = out;
        SourceLines sources = new SourceLines();
        inMemory.forEach(sources::add);
        this.stops = new StopPrinter(dbg, build, out, sources);
        this.info = new GdbInfo(dbg, build, out, sources, stops);
    }

    boolean quitRequested() {
        return quit;
    }

    /** Where the machine stands, as a stop shows it: printed once at the start of a session. */
    void showLocation() {
        stops.location(true);
        out.flush();
    }

    /** Runs one command line; false when it failed (an error message was printed). */
    boolean execute(String line) {
        String text = line.strip();
        if (text.isEmpty()) {
            if (lastRepeatable == null) {
                return true;
            }
            text = lastRepeatable;
        }
        if (text.startsWith("#")) {
            return true;
        }
        try {
            run(text);
            return true;
        } catch (AsmError e) {
            out.println(e.getMessage());
            return false;
        } catch (NumberFormatException e) {
            out.println("Invalid number: " + e.getMessage());
            return false;
        } catch (RuntimeException | StackOverflowError bug) {
            // a bug in entrysim, not in the command: say so and keep the session
            out.println("entrysim: internal error: " + bug + (System.getenv("ENTRYSIM_DEBUG") != null ? "" :
                    " (set ENTRYSIM_DEBUG=1 for the stack trace, and please report it)"));
            if (System.getenv("ENTRYSIM_DEBUG") != null) {
                bug.printStackTrace(out);
            }
            return false;
        } finally {
            out.flush();
        }
    }

    /** The canonical name of what the user typed ({@code b} is {@code break}, {@code cond} is {@code condition}). */
    static String canonical(String word) {
        for (Map.Entry<String, List<String>> e : COMMANDS.entrySet()) {
            if (e.getKey().equals(word) || e.getValue().contains(word)) {
                return e.getKey();
            }
        }
        List<String> prefixed = COMMANDS.keySet().stream().filter(c -> c.startsWith(word)).toList();
        if (prefixed.size() == 1) {
            return prefixed.get(0);
        }
        if (prefixed.isEmpty()) {
            throw new AsmError(null, "Undefined command: \"" + word + "\".  Try \"help\".");
        }
        throw new AsmError(null, "Ambiguous command \"" + word + "\": " + String.join(", ", prefixed) + ".");
    }

    private void run(String text) {
        int space = firstSpace(text);
        String word = text.substring(0, space);
        String args = text.substring(space).strip();
        String format = "";
        int slash = word.indexOf('/');
        if (slash > 0) {
            format = word.substring(slash + 1);
            word = word.substring(0, slash);
        }
        String cmd = canonical(word.toLowerCase(Locale.ROOT));
        lastRepeatable = REPEATABLE.contains(cmd) ? text : null;
        switch (cmd) {
            case "break", "tbreak" -> breakpoint(args, cmd.equals("tbreak"));
            case "delete" -> delete(args);
            case "disable", "enable" -> enable(args, cmd.equals("enable"));
            case "condition" -> condition(args);
            case "watch" -> {
                Watchpoint w = dbg.watch(args);
                out.println("Hardware watchpoint " + w.number() + ": " + args);
            }
            case "continue" -> {
                long n = count(args);
                Stop s = null;
                for (long i = 0; i < n; i++) {
                    s = dbg.cont();
                    if (s.kind() != Stop.Kind.BREAKPOINT) {
                        break;
                    }
                }
                stops.print(s);
            }
            case "step" -> stops.print(dbg.step((int) count(args)));
            case "next" -> stops.print(dbg.next((int) count(args)));
            case "stepi" -> stops.print(dbg.stepi(count(args)));
            case "nexti" -> {
                Stop s = null;
                for (long i = count(args); i > 0; i--) {
                    s = dbg.nexti();
                    if (s.kind() != Stop.Kind.STEP) {
                        break;
                    }
                }
                stops.print(s);
            }
            case "finish" -> {
                Frame f = dbg.frame();
                if (f != null) {
                    out.println("Run till exit from " + stops.frameLine(f));
                }
                stops.print(dbg.finish());
            }
            case "reverse-stepi", "reverse-nexti" -> stops.print(dbg.reverseStepi(count(args)));
            case "reverse-step" -> stops.print(repeat(args, dbg::reverseStep));
            case "reverse-next" -> stops.print(repeat(args, dbg::reverseNext));
            case "reverse-finish" -> {
                Frame f = dbg.frame();
                if (f != null) {
                    out.println("Run back to call of " + stops.frameLine(f));
                }
                stops.print(dbg.reverseFinish());
            }
            case "reverse-continue" -> stops.print(dbg.reverseContinue());
            case "run" -> {
                out.println("Starting program: " + program);
                stops.print(dbg.run());
            }
            case "start" -> {
                out.println("Starting program: " + program);
                stops.print(dbg.restart());
            }
            case "nmi" -> {
                dbg.nmi();
                out.println("NMI raised before step " + (dbg.step() + 1) + " (the next instruction).");
            }
            case "irq" -> {
                if (args.isEmpty()) {
                    throw new AsmError(null, "Argument required (vector number).");
                }
                int v = (int) dbg.evaluate(args);
                dbg.irq(v);
                out.println("Vector " + v + " raised before step " + (dbg.step() + 1) + " (the next instruction).");
            }
            case "info" -> info.info(args);
            case "print" -> info.print(format, args);
            case "x" -> info.examine(format, args);
            case "display" -> info.display(format, args);
            case "undisplay" -> info.undisplay(args);
            case "backtrace" -> info.backtrace();
            case "frame" -> {
                if (!args.isEmpty()) {
                    dbg.selectFrame(Integer.parseInt(args));
                }
                stops.frameAndSource();
            }
            case "up" -> {
                dbg.selectFrame(dbg.selectedFrame() + (int) count(args));
                stops.frameAndSource();
            }
            case "down" -> {
                dbg.selectFrame(dbg.selectedFrame() - (int) count(args));
                stops.frameAndSource();
            }
            case "list" -> info.list(args);
            case "help" -> help();
            case "quit" -> quit = true;
            default -> throw new AsmError(null, "Undefined command: \"" + cmd + "\".");
        }
    }

    private static int firstSpace(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        return text.length();
    }

    private long count(String args) {
        return args.isEmpty() ? 1 : Math.max(1, dbg.evaluate(args));
    }

    private Stop repeat(String args, java.util.function.Supplier<Stop> command) {
        Stop s = null;
        for (long i = count(args); i > 0; i--) {
            s = command.get();
            if (s.kind() != Stop.Kind.STEP) {
                break;
            }
        }
        return s;
    }

    private void breakpoint(String args, boolean temporary) {
        Breakpoint b = dbg.breakAt(args, temporary);
        out.println((temporary ? "Temporary breakpoint " : "Breakpoint ") + b.number() + " at " + b.where());
    }

    private List<Integer> numbers(String args) {
        List<Integer> n = new ArrayList<>();
        for (String s : args.split("[\\s,]+")) {
            if (!s.isEmpty()) {
                n.add(Integer.parseInt(s));
            }
        }
        return n;
    }

    private void delete(String args) {
        if (args.isEmpty() || args.equals("breakpoints")) {
            dbg.deleteAll();
            return;
        }
        for (int n : numbers(args)) {
            if (!dbg.delete(n)) {
                out.println("No breakpoint number " + n + ".");
            }
        }
    }

    private void enable(String args, boolean on) {
        if (args.isEmpty()) {
            dbg.breakpoints().forEach(b -> dbg.setEnabled(b.number(), on));
            dbg.watchpoints().forEach(w -> dbg.setEnabled(w.number(), on));
            return;
        }
        for (int n : numbers(args)) {
            if (!dbg.setEnabled(n, on)) {
                out.println("No breakpoint number " + n + ".");
            }
        }
    }

    private void condition(String args) {
        int space = firstSpace(args);
        if (args.isEmpty()) {
            throw new AsmError(null, "Argument required (breakpoint number).");
        }
        int n = Integer.parseInt(args.substring(0, space));
        String cond = args.substring(space).strip();
        if (!dbg.condition(n, cond)) {
            throw new AsmError(null, "No breakpoint number " + n + ".");
        }
        if (cond.isEmpty()) {
            out.println("Breakpoint " + n + " now unconditional.");
        }
    }

    private void help() {
        out.println("""
                Execution:   run (r), start, continue (c) [N], step (s) [N], next (n) [N], stepi (si) [N],
                             nexti (ni) [N], finish (fin)
                Reverse:     reverse-step (rs), reverse-next (rn), reverse-stepi (rsi), reverse-finish,
                             reverse-continue (rc)
                Breakpoints: break (b) FILE:LINE | LINE | LABEL | *ADDR | macro NAME [if EXPR], tbreak,
                             watch EXPR ($cr3, $rsp, *(long*)ADDR, %gs:SYMBOL), delete (d) [N...],
                             disable [N...], enable [N...], condition N [EXPR], info breakpoints
                Interrupts:  nmi, irq VECTOR (raised before the next instruction)
                Frames:      backtrace (bt) = the macro chain, frame (f) N, up [N], down [N], info frame
                Data:        print (p)[/x|d|u|t|o|a] EXPR, x/NFU ADDR (F: x d u t o a i, U: b h w g),
                             display[/FMT] EXPR, undisplay N, info display, list (l) [LINE|FILE:LINE|LABEL]
                Machine:     info registers (i r) [REG...], info cr, info tlb, info percpu, info macro NAME
                Other:       help (h), quit (q); an empty line repeats the last step/next/continue/list/x
                Frames are macro expansions: frame 0 is the macro-body line that emitted the instruction,
                each outer frame the line that invoked the macro, out to the .S line. step enters one
                level; next and finish work at the selected frame.""");
    }

    /** Prints what a finished run's outcome says, as {@code run} would. */
    static void outcomeLines(PrintWriter out, RunOutcome o) {
        if (o.fault() != null) {
            out.println(Diagnostics.format("error", o.lastOrigin(), "fault " + o.fault().summary()));
        }
        for (Violation v : o.violations()) {
            out.println(Diagnostics.format("warning", v.at() == null ? null : v.at().origin, v.kind() + ": " + v.message()));
        }
        TextReport.stopLines(out, o);
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    static String insnText(Insn insn) {
        return insn == null ? "?" : insn.text.strip();
    }
}
