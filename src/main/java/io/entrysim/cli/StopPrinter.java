package io.entrysim.cli;

import io.entrysim.assemble.Insn;
import io.entrysim.debug.Debugger;
import io.entrysim.debug.Frame;
import io.entrysim.debug.Stop;
import io.entrysim.diag.Diagnostics;
import io.entrysim.exec.Violation;
import io.entrysim.session.Build;
import io.entrysim.session.Symbolizer;
import java.io.PrintWriter;
import java.util.List;

/**
 * How the debugger shows where it stopped, in gdb's shapes: {@code Breakpoint 1, NAME () at
 * FILE:LINE}, the source line, {@code => ADDR <label+off>:\tINSN} for the instruction as
 * expanded, watchpoint old/new values, the run's report for a fault, and the displays.
 */
final class StopPrinter {
    private final Debugger dbg;
    private final Build build;
    private final PrintWriter out;
    private final SourceLines sources;
    private final Symbolizer symbolizer;
    private Runnable displays = () -> { };
    /** The frame shown last, to print the {@code NAME () at FILE:LINE} header only when it changes. */
    private Frame lastShown;

    StopPrinter(Debugger dbg, Build build, PrintWriter out, SourceLines sources) {
        this.dbg = dbg;
        this.build = build;
        this.out = out;
        this.sources = sources;
        this.symbolizer = new Symbolizer(build.program());
    }

    void setDisplays(Runnable displays) {
        this.displays = displays;
    }

    /** The name gdb shows for a frame: the macro whose body it is, else the label of the code. */
    String name(Frame f) {
        if (f.macro() != null) {
            return f.macro();
        }
        Insn insn = dbg.currentInsn();
        String label = insn == null ? "" : symbolizer.describe(insn.address);
        if (label.isEmpty()) {
            return "??";
        }
        int plus = label.indexOf('+');
        return label.substring(1, plus > 0 ? plus : label.length() - 1);
    }

    /** {@code #N  NAME () at FILE:LINE}. */
    String frameLine(Frame f) {
        return "#" + f.level() + "  " + name(f) + " () at " + f.line().fileLine();
    }

    void print(Stop s) {
        if (s == null) {
            return;
        }
        boolean header = true;
        switch (s.kind()) {
            case STEP -> header = false;
            case BREAKPOINT -> {
                out.println();
                out.print((s.breakpoint().temporary() ? "Temporary breakpoint " : "Breakpoint ") + s.breakpoint().number() + ", ");
            }
            case WATCHPOINT -> {
                out.println();
                out.println("Hardware watchpoint " + s.watchpoint().number() + ": " + s.watchpoint().expression().text());
                out.println();
                out.println("Old value = " + GdbCommands.hex(s.oldValue()));
                out.println("New value = " + GdbCommands.hex(s.newValue()));
                if (s.changedBy() != null) {
                    out.println("changed by " + TextReport.where(s.changedBy()));
                }
            }
            case VIOLATION -> {
                out.println();
                for (Violation v : s.violations()) {
                    out.println("Program received violation " + v.kind() + ".");
                    out.println(Diagnostics.format("warning", v.at() == null ? null : v.at().origin, v.kind() + ": " + v.message()));
                }
            }
            case FINISHED, LIMIT -> {
                out.println();
                var o = s.outcome();
                out.println(o.fault() != null ? "Program stopped by fault " + o.fault().vector() + "."
                        : "[Program stopped: " + o.stop().label() + "]");
                GdbCommands.outcomeLines(out, o);
            }
            case INTERRUPTED -> {
                out.println();
                out.println("Program received signal SIGINT, Interrupt.");
            }
            case HISTORY_START -> {
                out.println();
                out.println("No more reverse-execution history.");
            }
        }
        location(header);
        displays.run();
    }

    /** The selected frame's header (when asked, or when the frame changed) and its source line. */
    void location(boolean header) {
        Frame f = dbg.frame();
        if (f == null) {
            if (header) {
                out.println("(no instruction at rip " + GdbCommands.hex(dbg.machine().cpu().rip()) + ")");
            }
            return;
        }
        if (header || lastShown == null || !f.context().equals(lastShown.context()) || f.level() != lastShown.level()) {
            out.println(name(f) + " () at " + f.line().fileLine());
        }
        lastShown = f;
        sourceLine(f);
    }

    /** {@code #N  NAME () at FILE:LINE} and the source line, for frame/up/down. */
    void frameAndSource() {
        Frame f = dbg.frame();
        if (f == null) {
            out.println("No stack.");
            return;
        }
        out.println(frameLine(f));
        lastShown = f;
        sourceLine(f);
    }

    private void sourceLine(Frame f) {
        String text = sources.line(f.line().file(), f.line().line());
        out.println(f.line().line() + "\t" + (text == null ? "(source not available)" : text));
        Insn insn = dbg.currentInsn();
        if (insn != null && f.level() == 0) {
            out.println("=> " + GdbCommands.hex(insn.address) + " " + label(insn.address) + ":\t" + GdbCommands.insnText(insn));
        } else if (insn != null) {
            List<Frame> all = Frame.of(insn);
            out.println("   (expands to frame 0 at " + all.get(0).line().fileLine() + ": " + GdbCommands.insnText(insn) + ")");
        }
    }

    String label(long address) {
        String l = symbolizer.describe(address);
        return l.isEmpty() ? "" : l;
    }
}
