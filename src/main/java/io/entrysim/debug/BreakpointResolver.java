package io.entrysim.debug;

import io.entrysim.assemble.Insn;
import io.entrysim.assemble.Program;
import io.entrysim.diag.AsmError;
import io.entrysim.diag.Site;
import io.entrysim.session.UserExpressions;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.function.ToIntFunction;

/**
 * Turns what follows {@code break} into the code indices to stop before, as gdb's linespecs do:
 * {@code FILE:LINE} or {@code LINE} (a macro-body line stops in every expansion; a line that
 * invokes a macro stops at the expansion's first instruction; a line without code moves to the
 * next one that has some), {@code LABEL}, {@code *ADDR}, and {@code macro NAME} (the first
 * instruction of every expansion of NAME).
 */
final class BreakpointResolver {
    /**
     * The indices, a description of where they are, and the frame level a hit shows for an
     * instruction (the level of the line the user named; 0 for addresses).
     */
    record Resolved(BitSet indices, String where, ToIntFunction<Insn> level, int line) {
        Resolved(BitSet indices, String where) {
            this(indices, where, insn -> 0, -1);
        }
    }

    private final Program program;
    private final UserExpressions symbols;
    private final long percpuBase;

    BreakpointResolver(Program program, UserExpressions symbols, long percpuBase) {
        this.program = program;
        this.symbols = symbols;
        this.percpuBase = percpuBase;
    }

    /**
     * Resolves {@code spec}; {@code currentFile} is the file a bare {@code LINE} means, {@code cpu}
     * the state a {@code *EXPR} is evaluated on.
     */
    Resolved resolve(String spec, String currentFile, io.entrysim.cpu.Cpu cpu) {
        String s = spec.trim();
        if (s.startsWith("*")) {
            long addr = DebugExpression.compile(s.substring(1), symbols, percpuBase).value(cpu);
            return at(addr, String.format("0x%x", addr));
        }
        if (s.startsWith("macro ")) {
            return macro(s.substring("macro ".length()).trim());
        }
        int colon = s.lastIndexOf(':');
        if (colon > 0 && isNumber(s.substring(colon + 1))) {
            return line(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1)));
        }
        if (isNumber(s)) {
            if (currentFile == null) {
                throw new AsmError(null, "no default source file: say FILE:" + s);
            }
            return line(currentFile, Integer.parseInt(s));
        }
        Long addr = program.symbols().get(s);
        if (addr == null) {
            throw new AsmError(null, "Function \"" + s + "\" not defined.");
        }
        return at(addr, s);
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
    }

    private Resolved at(long addr, String what) {
        int index = program.indexOf(addr);
        if (index < 0) {
            throw new AsmError(null, what + " is not the address of an instruction");
        }
        BitSet b = new BitSet();
        b.set(index);
        Insn insn = program.code()[index];
        return new Resolved(b, String.format("0x%x: file %s, line %d.", addr, insn.origin.pos().file(),
                insn.origin.pos().line()));
    }

    /** Whether the file an origin names is the file the user typed (the same path, or the same tail). */
    static boolean sameFile(String origin, String typed) {
        return origin.equals(typed) || origin.endsWith("/" + typed) || typed.endsWith("/" + origin);
    }

    private Resolved line(String file, int line) {
        BitSet b = indicesOfLine(file, line);
        int actual = line;
        if (b.isEmpty()) {
            actual = nextLineWithCode(file, line);
            if (actual < 0) {
                throw new AsmError(null, "No line " + line + " in file \"" + file + "\" that emits code.");
            }
            b = indicesOfLine(file, actual);
        }
        int n = b.cardinality();
        Insn first = program.code()[b.nextSetBit(0)];
        int at = actual;
        String shown = Frame.of(first).stream().filter(f -> f.line().line() == at && sameFile(f.line().file(), file))
                .findFirst().map(f -> f.line().file()).orElse(file);
        return new Resolved(b, String.format("0x%x: file %s, line %d.", first.address, shown, actual)
                + (n > 1 ? " (" + n + " locations)" : ""), insn -> {
                    for (Frame f : Frame.of(insn)) {
                        if (f.line().line() == at && sameFile(f.line().file(), file)) {
                            return f.level();
                        }
                    }
                    return 0;
                }, actual);
    }

    /** The first instruction of every stretch of code that {@code file:line} emitted (any frame level). */
    private BitSet indicesOfLine(String file, int line) {
        BitSet b = new BitSet();
        Insn[] code = program.code();
        Frame previous = null;
        for (int i = 0; i < code.length; i++) {
            Frame match = null;
            if (code[i].origin != null) {
                for (Frame f : Frame.of(code[i])) {
                    if (f.line().line() == line && sameFile(f.line().file(), file)) {
                        match = f;
                        break;
                    }
                }
            }
            if (match != null && (previous == null || !previous.sameLine(match))) {
                b.set(i);
            }
            previous = match;
        }
        return b;
    }

    private int nextLineWithCode(String file, int after) {
        int best = -1;
        for (Insn insn : program.code()) {
            if (insn.origin == null) {
                continue;
            }
            for (Frame f : Frame.of(insn)) {
                int l = f.line().line();
                if (l > after && (best < 0 || l < best) && sameFile(f.line().file(), file)) {
                    best = l;
                }
            }
        }
        return best;
    }

    private Resolved macro(String name) {
        BitSet b = new BitSet();
        Insn[] code = program.code();
        List<Site> previous = null;
        for (int i = 0; i < code.length; i++) {
            List<Site> expansion = null;
            if (code[i].origin != null) {
                List<Site> chain = code[i].origin.macroChain();
                for (int k = 0; k < chain.size(); k++) {
                    if (chain.get(k).name().equals(name)) {
                        expansion = chain.subList(k, chain.size());
                        break;
                    }
                }
            }
            if (expansion != null && !Objects.equals(previous, expansion)) {
                b.set(i);
            }
            previous = expansion;
        }
        if (b.isEmpty()) {
            throw new AsmError(null, "no expansion of macro " + name + " emits code");
        }
        int n = b.cardinality();
        // a hit shows the line that invoked the macro, as a breakpoint on that line would
        return new Resolved(b, "macro " + name + " (" + n + (n == 1 ? " expansion)" : " expansions)"), insn -> {
            List<Site> chain = insn.origin.macroChain();
            for (int k = 0; k < chain.size(); k++) {
                if (chain.get(k).name().equals(name)) {
                    return k + 1;
                }
            }
            return 0;
        }, -1);
    }
}
