package io.entrysim.cli;

import io.entrysim.assemble.Insn;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Tlb;
import io.entrysim.debug.Breakpoint;
import io.entrysim.debug.DebugExpression;
import io.entrysim.debug.Debugger;
import io.entrysim.debug.Frame;
import io.entrysim.debug.Registers;
import io.entrysim.debug.Watchpoint;
import io.entrysim.diag.AsmError;
import io.entrysim.diag.Locations;
import io.entrysim.diag.Site;
import io.entrysim.kernel.PerCpuLayout;
import io.entrysim.session.Build;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The debugger's commands that look without running: {@code info ...}, {@code print},
 * {@code x}, {@code display}, {@code backtrace}, {@code list}, in gdb's output shapes, with
 * entrysim's additions ({@code info cr}, {@code info tlb}, {@code info percpu}, macro frames).
 */
final class GdbInfo {
    private record Display(int number, String format, String text, DebugExpression expr) {}

    /** Units one {@code x} shows at most: a typo'd count must not print for minutes. */
    static final int MAX_EXAMINE = 65536;

    private final Debugger dbg;
    private final Build build;
    private final PrintWriter out;
    private final SourceLines sources;
    private final StopPrinter stops;
    private final List<Long> history = new ArrayList<>();
    private final List<Display> displays = new ArrayList<>();
    private int nextDisplay = 1;
    /** The last line {@code list} showed, so a bare {@code list} goes on from there. */
    private String listFile;
    private int listNext = -1;

    GdbInfo(Debugger dbg, Build build, PrintWriter out, SourceLines sources, StopPrinter stops) {
        this.dbg = dbg;
        this.build = build;
        this.out = out;
        this.sources = sources;
        this.stops = stops;
        stops.setDisplays(this::showDisplays);
    }

    private Cpu cpu() {
        return dbg.machine().cpu();
    }

    // ---- info

    void info(String args) {
        int space = args.indexOf(' ');
        String sub = (space < 0 ? args : args.substring(0, space)).toLowerCase(Locale.ROOT);
        String rest = space < 0 ? "" : args.substring(space + 1).strip();
        String[] subs = {"registers", "all-registers", "breakpoints", "watchpoints", "frame", "cr", "tlb", "percpu",
            "macro", "display", "line"};
        String match = null;
        for (String s : subs) {
            if (s.equals(sub) || (!sub.isEmpty() && s.startsWith(sub) && match == null)) {
                match = s;
            }
        }
        if (sub.equals("r") || sub.equals("reg")) {
            match = "registers";
        } else if (sub.equals("b") || sub.equals("break")) {
            match = "breakpoints";
        } else if (sub.equals("f")) {
            match = "frame";
        }
        if (match == null) {
            throw new AsmError(null, "Undefined info command: \"" + args + "\".  Try \"help\".");
        }
        switch (match) {
            case "registers", "all-registers" -> registers(rest);
            case "breakpoints", "watchpoints" -> breakpoints();
            case "frame" -> frame();
            case "cr" -> controlRegisters();
            case "tlb" -> tlb();
            case "percpu" -> percpu();
            case "macro" -> macro(rest);
            case "display" -> {
                if (displays.isEmpty()) {
                    out.println("There are no auto-display expressions now.");
                }
                for (Display d : displays) {
                    out.println(d.number() + ":   " + (d.format().isEmpty() ? "" : "/" + d.format() + " ") + d.text());
                }
            }
            default -> stops.location(true);
        }
    }

    private void registers(String names) {
        if (names.isEmpty()) {
            TextReport.registers(out, build, cpu());
            return;
        }
        for (String n : names.split("\\s+")) {
            String name = n.startsWith("$") || n.startsWith("%") ? n.substring(1) : n;
            OptionalLong v = Registers.read(cpu(), name.toLowerCase(Locale.ROOT));
            if (v.isEmpty()) {
                throw new AsmError(null, "Invalid register `" + name + "'");
            }
            out.println(RegisterFormat.line(name, v.getAsLong(), natural(name, v.getAsLong())));
        }
    }

    /** gdb's natural column: decoded flags for the flag registers, a pointer for rip/rsp/rbp, else decimal. */
    private String natural(String name, long v) {
        return switch (name) {
            case "eflags", "rflags" -> RegisterFormat.eflags(v);
            case "cr0" -> RegisterFormat.cr0(v);
            case "cr3" -> RegisterFormat.cr3(v);
            case "cr4" -> RegisterFormat.cr4(v);
            case "rip", "pc" -> RegisterFormat.pointer(v) + " " + stops.label(v);
            case "rsp", "rbp" -> RegisterFormat.pointer(v);
            default -> RegisterFormat.signed(v);
        };
    }

    private void breakpoints() {
        if (dbg.breakpoints().isEmpty() && dbg.watchpoints().isEmpty()) {
            out.println("No breakpoints or watchpoints.");
            return;
        }
        out.println("Num     Type           Disp Enb What");
        for (Breakpoint b : dbg.breakpoints()) {
            out.printf("%-7d %-14s %-4s %-3s %s%n", b.number(), "breakpoint", b.temporary() ? "del" : "keep",
                    b.enabled() ? "y" : "n", b.spec() + (b.locations() > 1 ? " (" + b.locations() + " locations)" : ""));
            if (b.condition() != null) {
                out.println("\tstop only if " + b.condition().text());
            }
            if (b.hits() > 0) {
                out.println("\tbreakpoint already hit " + b.hits() + " time" + (b.hits() == 1 ? "" : "s"));
            }
        }
        for (Watchpoint w : dbg.watchpoints()) {
            out.printf("%-7d %-14s %-4s %-3s %s%n", w.number(), "hw watchpoint", "keep", w.enabled() ? "y" : "n",
                    w.expression().text());
            if (w.hits() > 0) {
                out.println("\tbreakpoint already hit " + w.hits() + " time" + (w.hits() == 1 ? "" : "s"));
            }
        }
    }

    private void frame() {
        Frame f = dbg.frame();
        if (f == null) {
            out.println("No stack.");
            return;
        }
        Insn insn = dbg.currentInsn();
        List<Frame> all = dbg.frames();
        out.println("Stack level " + f.level() + ", " + (f.macro() != null ? "in the expansion of macro " + f.macro()
                : "in " + stops.name(f) + " (outside any macro)") + ":");
        out.println(" rip = " + GdbCommands.hex(insn.address) + " " + stops.label(insn.address) + " in " + stops.name(f)
                + " (" + f.line().fileLine() + "); instruction: " + GdbCommands.insnText(insn));
        if (f.level() > 0) {
            out.println(" this line invokes " + all.get(f.level() - 1).macro() + "; callee frame at level "
                    + (f.level() - 1) + " (" + all.get(f.level() - 1).line().fileLine() + ")");
        }
        if (f.level() + 1 < all.size()) {
            Frame caller = all.get(f.level() + 1);
            out.println(" called by frame at level " + caller.level() + " (" + stops.name(caller) + " at "
                    + caller.line().fileLine() + ")");
        }
        List<String> ctx = new ArrayList<>();
        for (Site s : f.context()) {
            ctx.add(Locations.site(s));
        }
        if (!ctx.isEmpty()) {
            out.println(" expansion: " + String.join(", ", ctx));
        }
        out.println(" step " + dbg.step() + ", call depth " + dbg.callDepth() + ", rsp = " + GdbCommands.hex(cpu().reg(4)));
    }

    private void controlRegisters() {
        Cpu c = cpu();
        out.println(RegisterFormat.line("cr0", c.cr0(), RegisterFormat.cr0(c.cr0())));
        long cr3 = c.cr3();
        out.println(RegisterFormat.line("cr3", cr3, RegisterFormat.cr3(cr3)));
        boolean pcide = (c.cr4() & (1L << 17)) != 0;
        long pcid = cr3 & Cpu.CR3_PCID_MASK;
        out.println("               page tables: " + ((cr3 & 0x1000) != 0 ? "user half (bit 12 set)" : "kernel half (bit 12 clear)")
                + ", PGD at " + GdbCommands.hex(cr3 & ~0xfffL & ~(1L << 63)));
        out.println("               PCID: " + (pcide ? GdbCommands.hex(pcid) + ((pcid & Tlb.USER_PCID_BIT) != 0
                ? " (user: bit 11 set, kernel PCID " + GdbCommands.hex(pcid & ~Tlb.USER_PCID_BIT) + ")" : " (kernel)")
                : "off (CR4.PCIDE=0)"));
        var writes = c.cr3Writes();
        if (!writes.isEmpty()) {
            var last = writes.get(writes.size() - 1);
            out.println("               last write: " + GdbCommands.hex(last.valueWritten()) + " "
                    + (last.noFlush() ? "NOFLUSH (bit 63 set: the PCID's TLB entries kept)" : "flush (bit 63 clear)"));
        }
        out.println(RegisterFormat.line("cr4", c.cr4(), RegisterFormat.cr4(c.cr4())));
    }

    private void tlb() {
        Tlb t = cpu().tlb();
        Map<Integer, Tlb.State> entries = t.entries();
        if (entries.isEmpty()) {
            out.println("The TLB holds no entries.");
            return;
        }
        out.println("PCID   state");
        for (Map.Entry<Integer, Tlb.State> e : new TreeMap<>(entries).entrySet()) {
            String extra = e.getValue() == Tlb.State.STALE && t.staleness(e.getKey()) != null
                    ? "  (" + t.staleness(e.getKey()).cause() + ")" : "";
            out.printf("0x%03x  %s%s%s%n", e.getKey(), e.getValue().name().toLowerCase(Locale.ROOT), extra,
                    e.getKey() == cpu().activePcid() ? "  <- active" : "");
        }
    }

    private void percpu() {
        long base = build.options().machine().percpuBase();
        Map<String, Long> vars = new TreeMap<>(PerCpuLayout.known());
        vars.putAll(build.autoPerCpu());
        out.println("per-CPU area at " + GdbCommands.hex(base) + " (%gs: in the kernel)");
        for (Map.Entry<String, Long> e : vars.entrySet()) {
            long addr = base + e.getValue();
            out.printf("  %-32s %%gs:0x%-6x 0x%016x%n", e.getKey(), e.getValue(), cpu().memory().peek(addr, 8));
        }
    }

    private void macro(String name) {
        if (name.isEmpty()) {
            throw new AsmError(null, "You must follow the `info macro' command with the name of the macro");
        }
        var cpp = build.cpp().macroBody(name);
        cpp.ifPresent(body -> out.println("#define " + name + " " + body));
        Set<List<Site>> expansions = new LinkedHashSet<>();
        Set<String> bodyLines = new TreeSet<>();
        for (Insn insn : build.program().code()) {
            if (insn.origin == null) {
                continue;
            }
            List<Site> chain = insn.origin.macroChain();
            for (int k = 0; k < chain.size(); k++) {
                if (chain.get(k).name().equals(name)) {
                    expansions.add(chain.subList(k, chain.size()));
                    Frame inBody = Frame.of(insn).get(k);
                    bodyLines.add(inBody.line().fileLine());
                }
            }
        }
        if (expansions.isEmpty()) {
            if (cpp.isEmpty()) {
                out.println("The symbol `" + name + "' has no definition as a macro that emits code here.");
            }
            return;
        }
        out.println("gas macro " + name + ": " + expansions.size() + " expansion" + (expansions.size() == 1 ? "" : "s")
                + " that emit code");
        for (List<Site> e : expansions) {
            List<String> sites = new ArrayList<>();
            for (Site s : e) {
                sites.add(Locations.site(s));
            }
            out.println("  " + String.join(", ", sites));
        }
        out.println("body lines that emit code: " + String.join(" ", bodyLines));
    }

    // ---- print, x, display

    void print(String format, String text) {
        if (text.isEmpty()) {
            throw new AsmError(null, "print wants an expression");
        }
        long v = dbg.evaluate(text);
        history.add(v);
        out.println("$" + history.size() + " = " + formatValue(format, text, v));
    }

    private String formatValue(String format, String text, long v) {
        if (format.isEmpty()) {
            String t = text.strip();
            if (t.startsWith("$") || t.startsWith("%")) {
                String reg = t.substring(1).toLowerCase(Locale.ROOT);
                if (Registers.read(cpu(), reg).isPresent()) {
                    return switch (reg) {
                        case "rip", "pc" -> "(void (*)()) " + GdbCommands.hex(v) + " " + stops.label(v);
                        case "rsp", "rbp" -> "(void *) " + GdbCommands.hex(v);
                        case "eflags", "rflags", "cr0", "cr3", "cr4" -> natural(reg, v);
                        default -> Long.toString(v);
                    };
                }
            }
            return Long.toString(v);
        }
        return switch (format.charAt(format.length() - 1)) {
            case 'x' -> GdbCommands.hex(v);
            case 'd' -> Long.toString(v);
            case 'u' -> Long.toUnsignedString(v);
            case 't' -> Long.toBinaryString(v);
            case 'o' -> "0" + Long.toOctalString(v);
            case 'a' -> GdbCommands.hex(v) + " " + stops.label(v);
            case 'c' -> v + " '" + (char) (v & 0xff) + "'";
            default -> throw new AsmError(null, "Undefined output format \"" + format + "\".");
        };
    }

    /** {@code x/NFU ADDR}: N units of size U (b h w g) in format F (x d u t o a i). */
    void examine(String format, String text) {
        int count = 1;
        char fmt = 'x';
        int unit = 4;
        String digits = format.replaceAll("[^0-9]", "");
        if (!digits.isEmpty()) {
            count = Integer.parseInt(digits);
        }
        if (count > MAX_EXAMINE) {
            throw new AsmError(null, "x: at most " + MAX_EXAMINE + " units at a time, not " + count);
        }
        for (char ch : format.replaceAll("[0-9]", "").toCharArray()) {
            switch (ch) {
                case 'b' -> unit = 1;
                case 'h' -> unit = 2;
                case 'w' -> unit = 4;
                case 'g' -> unit = 8;
                case 'x', 'd', 'u', 't', 'o', 'a', 'i' -> fmt = ch;
                default -> throw new AsmError(null, "Invalid format letter `" + ch + "'");
            }
        }
        if (fmt == 'a') {
            unit = 8;
        }
        long addr = text.isEmpty() ? cpu().rip() : dbg.expression(text).address(cpu());
        if (fmt == 'i') {
            instructions(addr, count);
            return;
        }
        int perLine = unit == 8 ? 2 : unit == 4 ? 4 : 8;
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < count; i++) {
            long a = addr + (long) i * unit;
            if (i % perLine == 0) {
                if (line.length() > 0) {
                    out.println(line);
                }
                line.setLength(0);
                String l = stops.label(a);
                line.append(GdbCommands.hex(a)).append(l.isEmpty() ? "" : " " + l).append(':');
            }
            long v = cpu().memory().peek(a, unit);
            line.append('\t').append(switch (fmt) {
                case 'd' -> Long.toString(signExtend(v, unit));
                case 'u' -> Long.toUnsignedString(v);
                case 't' -> Long.toBinaryString(v);
                case 'o' -> "0" + Long.toOctalString(v);
                case 'a' -> GdbCommands.hex(v) + " " + stops.label(v);
                default -> String.format("0x%0" + (2 * unit) + "x", v);
            });
        }
        out.println(line);
    }

    private static long signExtend(long v, int size) {
        int shift = 64 - 8 * size;
        return (v << shift) >> shift;
    }

    private void instructions(long addr, int count) {
        Insn[] code = build.program().code();
        int i = build.program().indexOf(addr);
        if (i < 0) {
            throw new AsmError(null, "No instruction at " + GdbCommands.hex(addr));
        }
        for (int k = 0; k < count && i + k < code.length; k++) {
            Insn insn = code[i + k];
            out.println((insn.address == cpu().rip() ? "=> " : "   ") + GdbCommands.hex(insn.address) + " "
                    + stops.label(insn.address) + ":\t" + GdbCommands.insnText(insn));
        }
    }

    void display(String format, String text) {
        if (text.isEmpty()) {
            showDisplays();
            return;
        }
        Display d = new Display(nextDisplay++, format, text, dbg.expression(text));
        displays.add(d);
        show(d);
    }

    void undisplay(String args) {
        if (args.isEmpty()) {
            displays.clear();
            return;
        }
        for (String s : args.split("[\\s,]+")) {
            int n = Integer.parseInt(s);
            displays.removeIf(d -> d.number() == n);
        }
    }

    private void showDisplays() {
        for (Display d : displays) {
            try {
                show(d);
            } catch (RuntimeException e) {
                out.println(d.number() + ": " + d.text() + " = <error: " + e.getMessage() + ">");
            }
        }
    }

    private void show(Display d) {
        if (d.format().contains("i")) {
            out.println(d.number() + ": x/" + d.format() + " " + d.text());
            examine(d.format(), d.text());
            return;
        }
        out.println(d.number() + ": " + (d.format().isEmpty() ? "" : "/" + d.format() + " ") + d.text() + " = "
                + formatValue(d.format(), d.text(), d.expr().value(cpu())));
    }

    // ---- backtrace, list

    void backtrace() {
        List<Frame> frames = dbg.frames();
        if (frames.isEmpty()) {
            out.println("No stack.");
            return;
        }
        for (Frame f : frames) {
            out.println(stops.frameLine(f));
        }
    }

    /** {@code list}: ten lines around the selected frame's line (or LINESPEC), the current one marked with its expansion. */
    void list(String args) {
        Frame f = dbg.frame();
        String file;
        int center;
        if (args.isEmpty() && listFile != null && listNext > 0) {
            file = listFile;
            center = listNext + 5;
        } else if (args.isEmpty()) {
            if (f == null) {
                throw new AsmError(null, "No source to list.");
            }
            file = f.line().file();
            center = f.line().line();
        } else {
            int colon = args.lastIndexOf(':');
            if (colon > 0) {
                file = dbg.sourceFile(args.substring(0, colon).strip());
                center = Integer.parseInt(args.substring(colon + 1).strip());
            } else if (args.chars().allMatch(Character::isDigit)) {
                if (f == null) {
                    throw new AsmError(null, "No default source file: say FILE:LINE.");
                }
                file = f.line().file();
                center = Integer.parseInt(args);
            } else {
                Long addr = build.program().symbols().get(args);
                int index = addr == null ? -1 : build.program().indexOf(addr);
                if (index < 0) {
                    throw new AsmError(null, "Function \"" + args + "\" not defined.");
                }
                List<Frame> at = Frame.of(build.program().code()[index]);
                Frame outer = at.get(at.size() - 1);
                file = outer.line().file();
                center = outer.line().line();
            }
        }
        List<String> lines = sources.lines(file);
        if (lines.isEmpty()) {
            throw new AsmError(null, "Source of " + file + " is not available.");
        }
        int first = Math.max(1, center - 5);
        int last = Math.min(lines.size(), first + 9);
        if (first > lines.size()) {
            throw new AsmError(null, "Line number " + first + " out of range; \"" + file + "\" has " + lines.size() + " lines.");
        }
        Insn insn = dbg.currentInsn();
        boolean here = f != null && f.line().file().equals(file);
        for (int l = first; l <= last; l++) {
            boolean current = here && l == f.line().line();
            out.println((current ? "=> " : "   ") + l + "\t" + lines.get(l - 1)
                    + (current && insn != null ? "\t# " + GdbCommands.insnText(insn) : ""));
        }
        listFile = file;
        listNext = last + 1;
    }
}
