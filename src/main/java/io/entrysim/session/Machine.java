package io.entrysim.session;

import io.entrysim.assemble.Insn;
import io.entrysim.assemble.Program;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.CpuSnapshot;
import io.entrysim.cpu.Reg;
import io.entrysim.diag.AsmError;
import io.entrysim.diag.InternalFailure;
import io.entrysim.cpu.CpuFault;
import io.entrysim.exec.Cr3WriteSite;
import io.entrysim.exec.Executor;
import io.entrysim.exec.FlagViolation;
import io.entrysim.exec.Violation;
import io.entrysim.exec.StepListener;
import io.entrysim.exec.StepResult;
import io.entrysim.exec.StopReason;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One machine session: a built program on a CPU set up as the {@link RunSpec} says, with the
 * executor and everything a correct run needs (CR3-write attribution, the program's own
 * {@code invalidate_user_asid} hook, the lost-flush check at the exit to user mode, the NMI
 * schedule, the stub policy). Every front door (run, debugger, test runner) and every test
 * drives the engine through it: {@link #step()}, {@link #run(Until)}, {@link #snapshot()} and
 * {@link #restore}, {@link #outcome()}.
 *
 * <p>A snapshot covers all state: the CPU (registers, memory, TLB, logs), the executor's own
 * (step count, injection cursor, strict-flags reports, CR3-write sites) and the session's (the
 * stop, whether the exit check ran), so restoring and running again is bit-identical.
 */
public final class Machine {
    private final Build build;
    private final RunSpec spec;
    private final Cpu cpu;
    private final Executor executor;
    private final UserExpressions expressions;
    private final Snapshot initial;
    /** Why the run stopped last; null before the first stop. */
    private StopReason stop;
    /** Whether {@code --exit-to-user}'s lost-flush check has run. */
    private boolean exitChecked;
    /** What {@link #outcome()} gave last (immutable), to give again while nothing differs. */
    private RunOutcome lastOutcome;

    /** The machine state, frozen (immutable; cheap to take: memory is copy-on-write). */
    public record Snapshot(CpuSnapshot cpu, Executor.State executor, StopReason stop, boolean exitChecked) {}

    private Machine(Build build, RunSpec spec, Cpu cpu, UserExpressions expressions) {
        this.build = build;
        this.spec = spec;
        this.cpu = cpu;
        this.expressions = expressions;
        this.executor = new Executor(build.program(), cpu, spec.exec());
        executor.checkCodeAgainstMemory();
        int start = entryIndex(build.program(), executor, spec.entry());
        for (long step : spec.nmiAt()) {
            executor.injectNmiAt(step);
        }
        for (RunSpec.IrqAt irq : spec.irqAt()) {
            executor.injectAt(irq.step(), irq.vector());
        }
        executor.onStubCall(UserPcidRequests.HOOK, this::invalidateUserAsid);
        executor.begin(start);
        this.initial = snapshot();
    }

    /** The machine for {@code build}, set up and ready to run as {@code spec} says. */
    public static Machine create(Build build, RunSpec spec) {
        return create(build, spec, cpu -> { });
    }

    /**
     * As {@link #create(Build, RunSpec)}, with {@code adjust} applied to the CPU after the
     * spec's starting state and before the run begins (the entry frame is the RSP it leaves).
     */
    public static Machine create(Build build, RunSpec spec, Consumer<Cpu> adjust) {
        if (spec.maxSteps() < 1) {
            throw new AsmError(null, "--max-steps must be at least 1, not " + spec.maxSteps());
        }
        Cpu cpu = MachineSetup.newCpu(build);
        UserExpressions exprs = new UserExpressions(build);
        InitialState.apply(cpu, spec.sets(), spec.mems(), exprs);
        for (String s : spec.invalidations()) {
            if (!s.startsWith("user-pcid=")) {
                throw new AsmError(null, "--invalidate wants user-pcid=N, not `" + s + "'");
            }
            UserPcidRequests.invalidate(cpu, build, exprs.value(s.substring("user-pcid=".length()), "--invalidate"),
                    "--invalidate " + s + " before the run");
        }
        for (long step : spec.nmiAt()) {
            if (step < 1) {
                throw new AsmError(null, "--nmi-at: steps count from 1, not " + step);
            }
        }
        for (RunSpec.IrqAt irq : spec.irqAt()) {
            if (irq.step() < 1) {
                throw new AsmError(null, "--irq-at: steps count from 1, not " + irq.step());
            }
            if (irq.vector() < 32 || irq.vector() > 255) {
                throw new AsmError(null, String.format("--irq-at: vector 0x%x is not an external interrupt's"
                        + " (32 to 255; 0 to 31 are the CPU's exceptions)", irq.vector()));
            }
        }
        SystemSetup.installIdt(cpu, build, spec.idt(), "--idt");
        adjust.accept(cpu);
        return new Machine(build, spec, cpu, exprs);
    }

    public Build build() {
        return build;
    }

    public Program program() {
        return build.program();
    }

    public RunSpec spec() {
        return spec;
    }

    public Cpu cpu() {
        return cpu;
    }

    /** Expressions over the program's symbols and cpp macros, as {@code --set}/{@code --mem} take them. */
    public UserExpressions expressions() {
        return expressions;
    }

    /** Index of the next instruction to run; {@code code.length} at the end, -1 where RIP has no code. */
    public int currentIndex() {
        return executor.currentIndex();
    }

    /** The next instruction to run, or null. */
    public Insn currentInsn() {
        return executor.currentInsn();
    }

    /** Instructions executed since the run began. */
    public long steps() {
        return executor.stepCount();
    }

    /** Observes every step and event delivery (null: none, and then no step pays for it). */
    /**
     * Models the C function {@code symbol} the program calls but does not define (a stub): {@code
     * model} runs at each call (C stand-ins such as {@code sync_regs}).
     */
    public void model(String symbol, io.entrysim.exec.StubCallHandler model) {
        executor.onStubCall(symbol, model);
    }

    public void setTracer(StepListener tracer) {
        executor.setListener(tracer);
    }

    /** Raises {@code vector} before step {@code step} (see {@link Executor#injectAt}). */
    public void injectAt(long step, int vector) {
        executor.injectAt(step, vector);
    }

    public void injectNmiAt(long step) {
        executor.injectNmiAt(step);
    }

    /** Drops every scheduled injection, the spec's {@code nmiAt} included. */
    public void clearInjections() {
        executor.clearInjections();
    }

    // ---- running

    /** Whether the run is over: stopped for a reason other than a step budget. */
    public boolean finished() {
        return stop != null && stop != StopReason.MAX_STEPS && stop != StopReason.UNTIL;
    }

    /** One instruction (after the events due before it); once finished, nothing happens. */
    public StepResult step() {
        return guarded(this::stepUnguarded);
    }

    private StepResult stepUnguarded() {
        if (finished()) {
            return new StepResult(null, executor.currentIndex(), stop, executor.report(stop).fault());
        }
        if (executor.stepCount() >= spec.maxSteps()) {
            stopped(StopReason.MAX_STEPS);
            return new StepResult(null, executor.currentIndex(), stop, null);
        }
        StepResult r = executor.step();
        stopped(r.stop());
        return r;
    }

    /** Runs to a stop of the machine's own or the spec's step limit. */
    public RunOutcome run() {
        return run(Until.FOREVER);
    }

    /**
     * As {@link #run()}, returning only why the run stopped: the sweep path (restore a snapshot,
     * run, look at what matters). Builds no outcome ({@link #outcome()} has it), so a sweep
     * repeating runs from one snapshot allocates nothing in steady state: copied memory and
     * repeated CR3 writes reuse what earlier runs made, an injected NMI's delivery reuses one
     * event (a new violation still costs a small object).
     */
    public StopReason runToStop() {
        return guarded(this::runToStopUnguarded);
    }

    private StopReason runToStopUnguarded() {
        if (!finished()) {
            stopped(executor.advance(Math.max(0, spec.maxSteps() - executor.stepCount())));
        }
        return stop;
    }

    /** Runs until {@code until} holds, the machine stops, or the spec's step limit (counted from the start). */
    public RunOutcome run(Until until) {
        try { // as guarded(), without a lambda capturing until per run
            return runUnguarded(until);
        } catch (AsmError e) {
            throw e;
        } catch (RuntimeException | StackOverflowError bug) {
            throw internalFailure(bug);
        }
    }

    /**
     * The run's stage boundary: an exception that is not a diagnostic (a bug in entrysim) becomes
     * an {@link InternalFailure} at the instruction being executed, never a stack trace.
     */
    private <T> T guarded(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (AsmError e) {
            throw e;
        } catch (RuntimeException | StackOverflowError bug) {
            throw internalFailure(bug);
        }
    }

    private InternalFailure internalFailure(Throwable bug) {
        Insn at = executor.executing() != null ? executor.executing() : executor.currentInsn();
        return new InternalFailure(at == null ? null : at.origin, "run", bug);
    }

    private RunOutcome runUnguarded(Until until) {
        if (finished()) {
            return outcome();
        }
        long left = Math.max(0, spec.maxSteps() - executor.stepCount());
        boolean untilFirst = until.steps() < left;
        long budget = Math.min(until.steps(), left);
        Predicate<Machine> before = until.before();
        if (before == null) {
            StopReason s = executor.advance(budget);
            stopped(s == StopReason.MAX_STEPS && untilFirst ? StopReason.UNTIL : s);
            return outcome();
        }
        long end = executor.stepCount() + budget;
        boolean first = true;
        while (true) {
            if (!first && before.test(this)) {
                stopped(until.reason());
                break;
            }
            first = false;
            if (executor.stepCount() >= end) {
                stopped(untilFirst ? StopReason.UNTIL : StopReason.MAX_STEPS);
                break;
            }
            StepResult r = executor.step();
            if (r.stopped()) {
                stopped(r.stop());
                break;
            }
        }
        return outcome();
    }

    private void stopped(StopReason reason) {
        stop = reason;
        if (reason != null && reason.finishedNormally() && spec.exitToUser() && !exitChecked) {
            exitChecked = true;
            executor.exitToUser(executor.lastInsn());
        }
    }

    /**
     * The run so far: the last stop (null while none), steps, CR3 writes, faults and violations.
     * When every part is the same (identical) as the last outcome's, that outcome is returned
     * again: a sweep whose runs end alike allocates none.
     */
    public RunOutcome outcome() {
        long steps = executor.stepCount();
        CpuFault fault = stop == null ? null : executor.faultOf(stop);
        Insn about = stop == null ? null : executor.insnOf(stop);
        Insn lastInsn = executor.lastInsn();
        List<Cr3WriteSite> cr3Writes = executor.cr3Writes();
        List<FlagViolation> flagViolations = executor.flagViolations();
        List<Violation> violations = executor.violations();
        String detail = stop == null ? null : executor.detailOf(stop);
        RunOutcome o = lastOutcome;
        if (o == null || o.stop() != stop || o.steps() != steps || o.fault() != fault || o.faultingInsn() != about
                || o.lastInsn() != lastInsn || o.cr3Writes() != cr3Writes || o.flagViolations() != flagViolations
                || o.violations() != violations || o.detail() != detail) {
            o = new RunOutcome(stop, steps, fault, about, lastInsn, cr3Writes, flagViolations, violations, detail);
            lastOutcome = o;
        }
        return o;
    }

    // ---- snapshots

    public Snapshot snapshot() {
        return new Snapshot(cpu.snapshot(), executor.saveState(), stop, exitChecked);
    }

    public void restore(Snapshot s) {
        cpu.restore(s.cpu());
        executor.restoreState(s.executor());
        stop = s.stop();
        exitChecked = s.exitChecked();
    }

    /** Back to the state the machine was created in, its injection schedule included. */
    public void restart() {
        restore(initial);
    }

    // ---- the program's own hooks

    /** The C helper {@code invalidate_user_asid(asid)}: kern_pcid(asid) = asid + 1 gets its flush request. */
    private void invalidateUserAsid(Insn stub, Cpu c) {
        long asid = c.reg(Reg.RDI) & 0xffff;
        UserPcidRequests.invalidate(c, build, asid + 1, UserPcidRequests.HOOK + "(" + asid + ") at step "
                + (executor.stepCount() + 1) + " (" + stub.origin.pos().fileLine() + ")");
    }

    /**
     * Where the run starts: the start of the code section that holds the first instruction (code
     * written as bytes before it runs too), or {@code --entry LABEL}.
     */
    static int entryIndex(Program program, Executor executor, String entry) {
        if (entry == null) {
            if (program.code().length == 0) {
                return 0;
            }
            io.entrysim.assemble.SectionExtent s = program.sectionAt(program.code()[0].address);
            int first = s == null ? -1 : executor.indexOf(s.base());
            return first >= 0 ? first : 0;
        }
        Long addr = program.symbols().get(entry);
        if (addr == null) {
            throw new AsmError(null, "--entry: no symbol `" + entry + "' in the program");
        }
        int index = executor.indexOf(addr);
        if (index < 0) {
            throw new AsmError(null, "--entry: `" + entry + "' is not the address of an instruction");
        }
        return index;
    }
}
