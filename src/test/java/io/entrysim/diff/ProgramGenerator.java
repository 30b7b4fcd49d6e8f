package io.entrysim.diff;

import static io.entrysim.cpu.Flags.CF;
import static io.entrysim.cpu.Flags.OF;
import static io.entrysim.cpu.Flags.PF;
import static io.entrysim.cpu.Flags.SF;
import static io.entrysim.cpu.Flags.STATUS;
import static io.entrysim.cpu.Flags.ZF;

import io.entrysim.cpu.Flags;
import io.entrysim.cpu.Reg;
import io.entrysim.diff.Programs.GenProgram;
import io.entrysim.diff.Programs.InitialState;
import io.entrysim.diff.Programs.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates one random user-mode program from a seed: its structure (forward jumps over blocks,
 * the stack, PUSHF/POPF) and the static flag model that keeps it comparable. The instructions
 * themselves come from {@link InsnUnits}.
 *
 * <p>Comparable means: no instruction reads a flag that may be undefined at that point, since a
 * real CPU writes some model-specific value there and entrysim keeps the old one. The generator
 * tracks, conservatively, which status flags may be undefined ({@link #maybeUndefined}); before a
 * reader (Jcc, SETcc, CMOVcc, ADC, SBB, CMC, PUSHF) of such a flag it emits a random instruction
 * that defines it. entrysim's strict-flags audit double-checks this on every run.
 *
 * <p>The stack: %rsp is only moved by push/pop, whose depth is static. Inside a jump block only
 * stack-neutral units are generated, so both paths reach the label with the same %rsp.
 */
final class ProgramGenerator {
    /** Max bytes pushed below / popped above {@link DiffLayout#INITIAL_RSP}. */
    static final int MAX_DEPTH = 384, MIN_DEPTH = -128;

    private static final String[] CONDITIONS = {
        "o", "no", "b", "c", "nae", "ae", "nc", "nb", "e", "z", "ne", "nz", "be", "na", "a", "nbe",
        "s", "ns", "p", "pe", "np", "po", "l", "nge", "ge", "nl", "le", "ng", "g", "nle"};

    final SplittableRandom rnd;
    final Operands ops;
    private final InsnUnits insns;
    private final List<Unit> units = new ArrayList<>();
    /** Status flags that may be undefined at the current point (conservative). */
    long maybeUndefined;
    /** Bytes pushed since the start (static: no push/pop is conditional on a path). */
    int depth;
    private int labels;

    private ProgramGenerator(long seed) {
        rnd = new SplittableRandom(seed);
        ops = new Operands(rnd);
        insns = new InsnUnits(this);
    }

    static GenProgram generate(long seed) {
        ProgramGenerator g = new ProgramGenerator(seed);
        InitialState initial = g.initialState();
        int n = 4 + g.rnd.nextInt(30);
        for (int i = 0; i < n; i++) {
            g.unit(0);
        }
        return new GenProgram(seed, g.units, initial);
    }

    private InitialState initialState() {
        long[] regs = new long[Reg.COUNT];
        for (int i = 0; i < regs.length; i++) {
            regs[i] = ops.value();
        }
        regs[Reg.RSP] = DiffLayout.INITIAL_RSP;
        long rflags = Flags.FIXED1 | Flags.IF | (rnd.nextLong() & STATUS) | (rnd.nextInt(4) == 0 ? Flags.DF : 0);
        return new InitialState(regs, rflags, rnd.nextLong());
    }

    /** %rsp's current value (static). */
    long rsp() {
        return DiffLayout.INITIAL_RSP - depth;
    }

    void emit(List<String> lines) {
        units.add(Unit.code(lines));
    }

    /** Flags an instruction defines (they can be read afterwards). */
    void define(long flags) {
        maybeUndefined &= ~flags;
    }

    /** Flags an instruction may leave undefined. */
    void undefine(long flags) {
        maybeUndefined |= flags;
    }

    /** Before an instruction that reads {@code flags}: make sure none of them is undefined. */
    void require(long flags) {
        while ((maybeUndefined & flags) != 0) {
            insns.definer(flags, maybeUndefined & flags);
        }
    }

    String condition() {
        return CONDITIONS[rnd.nextInt(CONDITIONS.length)];
    }

    /** The flags a condition suffix reads (SDM Vol. 1, Appendix B). */
    static long reads(String cond) {
        return switch (cond) {
            case "o", "no" -> OF;
            case "b", "c", "nae", "ae", "nc", "nb" -> CF;
            case "e", "z", "ne", "nz" -> ZF;
            case "be", "na", "a", "nbe" -> CF | ZF;
            case "s", "ns" -> SF;
            case "p", "pe", "np", "po" -> PF;
            case "l", "nge", "ge", "nl" -> SF | OF;
            case "le", "ng", "g", "nle" -> ZF | SF | OF;
            default -> throw new IllegalArgumentException(cond);
        };
    }

    // ---- structure

    /** One unit; {@code nesting} > 0 inside jump blocks, where the stack must stay balanced. */
    void unit(int nesting) {
        int w = rnd.nextInt(100);
        if (w < 16) {
            insns.alu(null);
        } else if (w < 18) {
            int label = labels++;
            if (w == 16 || depth + 8 > MAX_DEPTH) {
                insns.ripRelative("{L}r" + label);
            } else {
                insns.callReturnAddress("{L}r" + label, "{L}c" + label);
            }
        } else if (w < 24) {
            insns.unary(null);
        } else if (w < 38) {
            insns.shift();
        } else if (w < 48) {
            insns.bitTest(null);
        } else if (w < 55) {
            insns.mov();
        } else if (w < 61) {
            insns.movExtend();
        } else if (w < 66) {
            insns.lea();
        } else if (w < 70) {
            insns.xchg();
        } else if (w < 75) {
            insns.cmov();
        } else if (w < 80) {
            insns.setcc();
        } else if (w < 85) {
            if (nesting == 0 && rnd.nextBoolean()) {
                loneStackOp();
            } else {
                balancedStack();
            }
        } else if (w < 89) {
            flagsThroughStack(nesting);
        } else if (w < 92) {
            insns.flagOp();
        } else if (nesting < 2) {
            jumpBlock(nesting);
        } else {
            insns.alu(null);
        }
    }

    /** {@code jcc L; <1-4 units>; L:} (sometimes {@code jmp}): flags at L are the union of both paths. */
    private void jumpBlock(int nesting) {
        boolean always = rnd.nextInt(10) == 0;
        String cond = condition();
        if (!always) {
            require(reads(cond));
        }
        int label = labels++;
        units.add(new Unit(Unit.Kind.JUMP, List.of((always ? "jmp" : "j" + cond) + " {L}" + label)));
        long before = maybeUndefined;
        int n = 1 + rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
            unit(nesting + 1);
        }
        maybeUndefined |= before;
        units.add(new Unit(Unit.Kind.LABEL, List.of("{L}" + label + ":")));
    }

    // ---- stack

    /** A single push or pop, only outside jump blocks; depth stays in [MIN_DEPTH, MAX_DEPTH]. */
    private void loneStackOp() {
        int size = rnd.nextInt(4) == 0 ? 2 : 8;
        boolean push = depth + size <= MAX_DEPTH && (depth - size < MIN_DEPTH || rnd.nextBoolean());
        List<String> lines = new ArrayList<>();
        if (push) {
            lines.addAll(insns.push(size));
            depth += size;
        } else {
            lines.addAll(insns.pop(size));
            depth -= size;
        }
        emit(lines);
    }

    /** Pushes then pops of 2 and 8 bytes totalling the same: e.g. four pushw then one popq. */
    private void balancedStack() {
        int total = 2 * (1 + rnd.nextInt(12));
        if (depth + total > MAX_DEPTH) {
            total = 8;
        }
        List<String> lines = new ArrayList<>();
        int pushed = 0;
        while (pushed < total) {
            int size = total - pushed >= 8 && rnd.nextBoolean() ? 8 : 2;
            lines.addAll(insns.push(size));
            depth += size;
            pushed += size;
        }
        while (pushed > 0) {
            int size = pushed >= 8 && rnd.nextBoolean() ? 8 : 2;
            lines.addAll(insns.pop(size));
            depth -= size;
            pushed -= size;
        }
        emit(lines);
    }

    /**
     * PUSHF/POPF: a constant loaded with push+popf, or the live flags pushed, edited in memory and
     * popped. Popped images keep IF=1, IOPL=0, TF=NT=AC=0: in user mode IF/IOPL could not change
     * anyway, TF would trap and AC would turn on alignment checking.
     */
    private void flagsThroughStack(int nesting) {
        long status = rnd.nextLong() & STATUS;
        long df = rnd.nextInt(3) == 0 ? Flags.DF : 0;
        long id = rnd.nextInt(4) == 0 ? Flags.ID : 0;
        long image = Flags.FIXED1 | Flags.IF | status | df;
        List<String> lines = new ArrayList<>();
        switch (rnd.nextInt(7)) {
            case 0 -> {
                lines.add("pushq " + ops.immText(image | id));
                lines.add("popfq");
            }
            case 1 -> {
                lines.add("pushw " + ops.immText(image));
                lines.add("popfw");
            }
            case 2 -> {
                require(STATUS);
                lines.add("pushfq");
                lines.add("xorq " + ops.immText(rnd.nextLong() & (STATUS | Flags.DF | Flags.ID)) + ", (%rsp)");
                lines.add("popfq");
            }
            case 3 -> {
                require(STATUS); // the flags are overwritten in memory, but PUSHF did read them
                lines.add("pushfq");
                lines.add("andq $" + ~(STATUS | Flags.DF) + ", (%rsp)");
                lines.add("orq " + ops.immText(status | df) + ", (%rsp)");
                lines.add(rnd.nextBoolean() ? "popfq" : "popf");
            }
            case 4 -> {
                require(STATUS);
                lines.add("pushfq");
                lines.add("popq %" + Operands.name(ops.writable(false, List.of()), 8, false));
            }
            case 5 -> {
                require(STATUS);
                lines.add("pushfw");
                lines.add("popw %" + Operands.name(ops.writable(false, List.of()), 2, false));
            }
            default -> {
                if (nesting > 0 || depth + 8 > MAX_DEPTH) {
                    lines.add("pushq " + ops.immText(image));
                    lines.add("popfq");
                } else {
                    require(STATUS);
                    boolean word = rnd.nextInt(4) == 0;
                    lines.add(word ? "pushfw" : rnd.nextBoolean() ? "pushfq" : "pushf");
                    depth += word ? 2 : 8;
                    emit(lines);
                    return; // PUSHF alone defines nothing
                }
            }
        }
        define(STATUS);
        emit(lines);
    }
}
