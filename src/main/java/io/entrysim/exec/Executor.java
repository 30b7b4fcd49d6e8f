package io.entrysim.exec;

import io.entrysim.cpu.Cr3Write;
import io.entrysim.cpu.RuleViolation;
import io.entrysim.cpu.PersistentLog;
import io.entrysim.assemble.Insn;
import io.entrysim.assemble.Op;
import io.entrysim.assemble.Program;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.CpuFault;
import io.entrysim.cpu.EventState;
import io.entrysim.cpu.Flags;
import io.entrysim.cpu.Memory;
import io.entrysim.cpu.Reg;
import io.entrysim.cpu.Vectors;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Runs a decoded {@link Program} on a {@link Cpu}. The executor is a cursor: the index of the
 * next instruction ({@link #currentIndex()}), kept in sync with RIP, plus the entry frame (RSP at
 * {@link #begin}). {@link #run}/{@link #resume} loop without allocating when no listener is set
 * and no event is due; {@link #step()} executes one instruction, for debuggers.
 *
 * <p>Index conventions: {@code code.length} means "ended" (RIP is just past the code);
 * -1 means RIP is not the address of any instruction (after a jump or ret to such an address).
 *
 * <p>Instruction boundaries: before each instruction (and at the end of the code, and where a
 * sysret/iret landed), the executor first delivers the events due there through the IDT, in this
 * order: exceptions {@link #injectAt injected} for this boundary; a pending NMI unless NMIs are
 * blocked (from an NMI's delivery to the next IRET; an NMI raised while one is already pending
 * is dropped, the latch is one deep); the highest requested maskable interrupt if RFLAGS.IF=1
 * and no STI shadow. Only then does it stop for compatibility mode, the end, or no code at RIP.
 */
public final class Executor {
    /** Events delivered in a row with no instruction completing (a handler that faults at once) before the run stops. */
    public static final int MAX_DELIVERIES_WITHOUT_PROGRESS = 512;

    private final Program program;
    private final Insn[] code;
    /** The instructions as they are in memory now: the program's, and what was decoded since. */
    private final CodeCache cache;
    private final Cpu cpu;
    private final Memory memory;
    private final Datapath datapath;
    private final Alu alu;
    private final Semantics semantics;
    private final FlagAudit audit;
    private final ExecOptions options;
    private final EventDelivery delivery;
    private final InjectionSchedule schedule = new InjectionSchedule();
    /** The event being delivered at a boundary, reused: an injected NMI allocates nothing. */
    private final EventDelivery.Event injected = new EventDelivery.Event();
    private StepListener listener;
    private ReturnToUserListener returnToUser;
    private final StepRecorder recorder;
    private final MachineChecks checks;
    /** The CPU's violation log at {@link #begin}: {@link #violations()} are those added since. */
    private PersistentLog<RuleViolation> violationsAtBegin;

    private int index;
    private long stepCount;
    /** Whether the last {@link #execute()} committed its instruction (a step was taken). */
    private boolean committed;
    /** The last instruction that committed since {@link #begin}, or null. */
    private Insn lastInsn;
    // Details of the last fault (an instruction that faulted, or a transfer to an address with no code).
    private CpuFault lastFault;
    private Insn lastFaultInsn;
    // The sysret/iret whose target is the cursor, while it is -1 or in compatibility mode.
    private Insn modeInsn;
    private boolean userReturn;
    private String stopDetail;
    private int deliveriesInARow;
    private long nmiInjectedAt = -1;
    private long[] irqInjectedAt;
    private long droppedNmis;

    public Executor(Program program, Cpu cpu) {
        this(program, cpu, ExecOptions.DEFAULT);
    }

    public Executor(Program program, Cpu cpu, ExecOptions options) {
        this.program = program;
        this.code = program.code();
        this.cpu = cpu;
        this.memory = cpu.memory();
        this.options = options;
        this.datapath = new Datapath(cpu);
        this.alu = new Alu(cpu);
        this.cache = new CodeCache(program, memory);
        this.semantics = new Semantics(cpu, datapath, alu, program, cache);
        this.semantics.stubCalls = options.stubCalls();
        this.audit = options.strictFlags() ? new FlagAudit(cpu) : null;
        this.alu.audit = audit;
        this.semantics.audit = audit;
        this.recorder = new StepRecorder(cpu, datapath);
        this.checks = new MachineChecks(cpu);
        this.violationsAtBegin = cpu.violationLog();
        this.delivery = new EventDelivery(cpu);
        this.semantics.entryRsp = cpu.reg(Reg.RSP);
        int at = cache.indexOf(cpu.rip());
        if (at >= 0) {
            index = at; // resume where the CPU is
        } else {
            setIndex(0);
        }
    }

    public Program program() {
        return program;
    }

    public Cpu cpu() {
        return cpu;
    }

    public ExecOptions options() {
        return options;
    }

    public StepListener listener() {
        return listener;
    }

    /** Observes each executed instruction and each event delivery (null: none). */
    public void setListener(StepListener listener) {
        this.listener = listener;
    }

    /** Told when a sysret/iret lands at CPL 3 (null: none). */
    public void setReturnToUserListener(ReturnToUserListener l) {
        this.returnToUser = l;
    }

    // ---- event injection

    /**
     * Raises {@code vector} at the instruction boundary before step {@code step} (1-based, the
     * numbering of {@link StepEvent#step()}; counted from {@link #begin}): {@code injectAt(1, 2)}
     * is an NMI before the first instruction, {@code injectAt(k, 2)} one that interrupts the
     * instruction that would have been step k, so the handler's first instruction becomes step k.
     * Vector 2 is an NMI (held while NMIs are blocked), 32..255 a maskable interrupt (held while
     * RFLAGS.IF=0 or in an STI shadow), other vectors an exception delivered unconditionally (error
     * code 0 if the vector has one; CR2 is not changed for a #PF). A step already passed means
     * the next boundary. The schedule applies again to each {@link #begin}/{@link #run}.
     */
    public void injectAt(long step, int vector) {
        if (step < 1) {
            throw new IllegalArgumentException("injection step must be >= 1: " + step);
        }
        if (vector < 0 || vector > 255) {
            throw new IllegalArgumentException("vector must be 0..255: " + vector);
        }
        schedule.add(step, vector);
    }

    /** {@code injectAt(step, 2)}. */
    public void injectNmiAt(long step) {
        injectAt(step, Vectors.NMI);
    }

    public void clearInjections() {
        schedule.clear();
    }

    /** NMIs raised while one was already pending (the NMI latch holds one), since construction. */
    public long droppedNmis() {
        return droppedNmis;
    }

    // ---- cursor

    /** Starts a run at {@code startIndex}: sets RIP, takes the current RSP as the entry frame, resets the step count, flag reports and the injection schedule's position. */
    public void begin(int startIndex) {
        setIndex(startIndex);
        semantics.entryRsp = cpu.reg(Reg.RSP);
        stepCount = 0;
        lastInsn = null;
        checks.sites = PersistentLog.empty();
        violationsAtBegin = cpu.violationLog();
        deliveriesInARow = 0;
        schedule.rewind();
        if (audit != null) {
            audit.reset();
        }
    }

    public int currentIndex() {
        return index;
    }

    /** The instruction begun last (when something fails inside a step, the one it failed in). */
    public Insn executing() {
        return executing;
    }

    private Insn executing;

    /** The next instruction to run, or null when there is none. */
    public Insn currentInsn() {
        return index >= 0 && index != cache.end ? cache.insn(index) : null;
    }

    /** Moves the cursor (0..code.length) and RIP with it; the entry frame is kept. */
    public void setIndex(int index) {
        if (index < 0 || (index > code.length && index != cache.indexOf(cache.insn(index).address))) {
            throw new IllegalArgumentException("instruction index " + index + " is not an instruction");
        }
        if (cache.stale(index)) {
            index = cache.indexOf(cache.insn(index).address); // memory holds other bytes there now
        }
        this.index = index;
        modeInsn = null;
        userReturn = false;
        cpu.setRip(index != cache.end ? cache.insn(index).address : semantics.endAddress());
    }

    /**
     * The instruction at {@code address} as memory holds it (decoded now if needed), or -1 when
     * none can start there (not in a code section).
     */
    public int indexOf(long address) {
        return cache.indexOf(address);
    }

    /**
     * The CR3 writes since {@link #begin}, oldest first, each with the instruction that made it
     * (unmodifiable). The list made for a log is kept and given again: runs repeated from one
     * snapshot share their logs, so a sweep asking after each run allocates nothing.
     */
    public List<Cr3WriteSite> cr3Writes() {
        PersistentLog<Cr3WriteSite> s = checks.sites;
        if (s.size() == 0) {
            return List.of();
        }
        if (s == listedLast) { // the usual sweep: the same log as the run before
            return listedLastList;
        }
        int slot = System.identityHashCode(s) & (listedSites.length - 1);
        if (listedSites[slot] != s) {
            listedLists[slot] = s.toList();
            listedSites[slot] = s;
        }
        listedLast = s;
        listedLastList = listedLists[slot];
        return listedLastList;
    }

    private PersistentLog<Cr3WriteSite> listedLast;
    private List<Cr3WriteSite> listedLastList;

    // cr3Writes()'s lists, by the identity of their log (a small direct-mapped cache)
    @SuppressWarnings("unchecked")
    private final PersistentLog<Cr3WriteSite>[] listedSites = new PersistentLog[64];
    @SuppressWarnings("unchecked")
    private final List<Cr3WriteSite>[] listedLists = new List[64];

    /** The last instruction that committed since {@link #begin}, or null if none did. */
    public Insn lastInsn() {
        return lastInsn;
    }

    /**
     * Models the C function {@code symbol} (a stub: the program calls it but never defines it):
     * {@code handler} runs each time the stub is called and returns. Replaces an earlier handler.
     */
    public void onStubCall(String symbol, StubCallHandler handler) {
        for (int i = 0; i < code.length; i++) {
            if (code[i].isStubFor(symbol)) {
                if (semantics.stubHandlers == null) {
                    semantics.stubHandlers = new StubCallHandler[code.length];
                }
                semantics.stubHandlers[i] = handler;
            }
        }
    }

    /**
     * The program's bytes were loaded into memory and may have been written since (a {@code --mem}
     * into code, patching before the run): run what memory holds where it differs.
     */
    public void checkCodeAgainstMemory() {
        cache.staleWhereMemoryDiffers();
        int at = cache.indexOf(cpu.rip());
        if (at >= 0) {
            index = at;
        }
    }

    /** Instructions executed since {@link #begin}. */
    public long stepCount() {
        return stepCount;
    }

    public long entryRsp() {
        return semantics.entryRsp;
    }

    public void setEntryRsp(long rsp) {
        semantics.entryRsp = rsp;
    }

    /** Strict-flags reports since {@link #begin} (first per instruction); empty when not strict. */
    public List<FlagViolation> flagViolations() {
        return audit == null ? List.of() : audit.violations();
    }

    /** Violations (lost flush, PCID bits without PCIDE, ...) found since {@link #begin}, oldest first. */
    public List<Violation> violations() {
        if (cpu.violationLog() == violationsAtBegin) {
            return List.of();
        }
        List<Violation> out = new ArrayList<>();
        for (RuleViolation e : cpu.violationLog().since(violationsAtBegin)) {
            if (e instanceof Violation v) {
                out.add(v);
            }
        }
        return out;
    }

    /**
     * The run is declared to end by returning to user mode ({@code --exit-to-user}): checks the
     * state as a SYSRET/IRET to CPL 3 would be checked, blaming {@code at} (e.g. the last
     * instruction executed; may be null). Returning to CPL 3 inside a run is detected by the
     * executor itself.
     */
    public Optional<Violation> exitToUser(Insn at) {
        return checks.lostFlush.onReturnToUser(cpu, at);
    }

    // ---- the executor's own state

    /**
     * Everything the executor itself holds about a run in progress, frozen: the cursor, step
     * count, entry frame, injection schedule and its position, pending-event bookkeeping, the
     * last fault and stop details, strict-flags reports, and the CR3 writes' sites. Together with
     * a {@link io.entrysim.cpu.CpuSnapshot} it is the whole machine: restoring both and running on
     * is bit-identical to the first time.
     */
    public static final class State {
        private final int index;
        private final long stepCount;
        private final boolean committed;
        private final Insn lastInsn;
        private final CpuFault lastFault;
        private final Insn lastFaultInsn;
        private final Insn modeInsn;
        private final boolean userReturn;
        private final String stopDetail;
        private final int deliveriesInARow;
        private final long nmiInjectedAt;
        private final long[] irqInjectedAt;
        private final long droppedNmis;
        private final PersistentLog<RuleViolation> violationsAtBegin;
        private final long entryRsp;
        private final InjectionSchedule schedule;
        private final FlagAudit.Saved audit;
        private final PersistentLog<Cr3WriteSite> sites;
        private final CodeCache.Overlay code;

        private State(Executor e) {
            code = e.cache.saveOverlay();
            index = e.index;
            stepCount = e.stepCount;
            committed = e.committed;
            lastInsn = e.lastInsn;
            lastFault = e.lastFault;
            lastFaultInsn = e.lastFaultInsn;
            modeInsn = e.modeInsn;
            userReturn = e.userReturn;
            stopDetail = e.stopDetail;
            deliveriesInARow = e.deliveriesInARow;
            nmiInjectedAt = e.nmiInjectedAt;
            irqInjectedAt = e.irqInjectedAt == null ? null : e.irqInjectedAt.clone();
            droppedNmis = e.droppedNmis;
            violationsAtBegin = e.violationsAtBegin;
            entryRsp = e.semantics.entryRsp;
            schedule = e.schedule.copy();
            audit = e.audit == null ? null : e.audit.save();
            sites = e.checks.sites;
        }
    }

    /** The executor's state now (take the CPU's snapshot alongside it). */
    public State saveState() {
        return new State(this);
    }

    /** Puts back a state this executor saved; the CPU is restored separately. */
    public void restoreState(State s) {
        index = s.index;
        stepCount = s.stepCount;
        committed = s.committed;
        lastInsn = s.lastInsn;
        lastFault = s.lastFault;
        lastFaultInsn = s.lastFaultInsn;
        modeInsn = s.modeInsn;
        userReturn = s.userReturn;
        stopDetail = s.stopDetail;
        deliveriesInARow = s.deliveriesInARow;
        nmiInjectedAt = s.nmiInjectedAt;
        irqInjectedAt = s.irqInjectedAt == null ? null : s.irqInjectedAt.clone();
        droppedNmis = s.droppedNmis;
        violationsAtBegin = s.violationsAtBegin;
        semantics.entryRsp = s.entryRsp;
        schedule.setTo(s.schedule);
        if (audit != null && s.audit != null) {
            audit.restore(s.audit);
        }
        checks.sites = s.sites;
        cache.setOverlay(s.code);
    }

    // ---- running

    public RunResult run(int startIndex, long maxSteps) {
        begin(startIndex);
        return resume(maxSteps);
    }

    /** Continues from the cursor for at most {@code maxSteps} more instructions (event deliveries are not steps). */
    public RunResult resume(long maxSteps) {
        long before = stepCount;
        StopReason stop = advance(maxSteps);
        return result(stop, stepCount - before);
    }

    /**
     * As {@link #resume}, returning only why it stopped: nothing is allocated on the way (the
     * sweep path); {@link #report} has the rest.
     */
    public StopReason advance(long maxSteps) {
        long end = maxSteps > Long.MAX_VALUE - stepCount ? Long.MAX_VALUE : stepCount + maxSteps;
        while (true) {
            StopReason stop = atBoundary();
            if (stop == null) {
                if (stepCount >= end) {
                    return StopReason.MAX_STEPS;
                }
                stop = execute();
            }
            if (stop != null) {
                return stop;
            }
        }
    }

    /** Delivers the events due at this boundary, then executes one instruction (or reports why none can run). */
    public StepResult step() {
        StopReason stop = atBoundary();
        if (stop != null) {
            return new StepResult(null, index, stop, stop == StopReason.FAULT ? lastFault : null);
        }
        int at = index;
        Insn insn = cache.insn(at);
        stop = execute();
        if (stop == null && committed && index == cache.end) {
            stop = StopReason.END;
        }
        return new StepResult(insn, at, stop, stop == StopReason.FAULT ? lastFault : null);
    }

    /**
     * What the executor knows about a stop it reported (from {@link #step()} or a run): the
     * fault, the instruction it is about, the detail sentence; {@code steps} counts from
     * {@link #begin}.
     */
    public RunResult report(StopReason stop) {
        return result(stop, stepCount);
    }

    /**
     * The report of a run; the last one again when every part is the same (identical), so a
     * sweep whose runs end alike allocates none.
     */
    private RunResult result(StopReason stop, long steps) {
        CpuFault fault = faultOf(stop);
        Insn about = insnOf(stop);
        List<FlagViolation> flags = flagViolations();
        List<Violation> found = violations();
        String detail = detailOf(stop);
        RunResult r = lastResult;
        if (r == null || r.stop() != stop || r.steps() != steps || r.fault() != fault || r.faultingInsn() != about
                || r.finalIndex() != index || r.flagViolations() != flags || r.violations() != found
                || r.detail() != detail) {
            r = new RunResult(stop, steps, fault, about, index, flags, found, detail);
            lastResult = r;
        }
        return r;
    }

    private RunResult lastResult;

    /** {@link #report}'s fault for {@code stop}, without building the report. */
    public CpuFault faultOf(StopReason stop) {
        return stop == StopReason.FAULT ? lastFault : null;
    }

    /** {@link #report}'s instruction the stop is about ({@link RunResult#faultingInsn}). */
    public Insn insnOf(StopReason stop) {
        return switch (stop) {
            case FAULT -> lastFaultInsn;
            case RETURN_TO_USER, COMPAT_MODE -> modeInsn;
            case UNDEFINED_FUNCTION -> currentInsn();
            default -> null;
        };
    }

    /** {@link #report}'s detail sentence for {@code stop}, or null. */
    public String detailOf(StopReason stop) {
        boolean detailed = stop == StopReason.RETURN_TO_USER || stop == StopReason.COMPAT_MODE
            || stop == StopReason.UNDEFINED_FUNCTION;
        return detailed ? stopDetail : null;
    }

    // ---- boundaries and events

    /**
     * {@code syscall}, {@code sysenter} and {@code int $n} have the same bytes and meaning in
     * compatibility mode: a 32-bit user's ways into the kernel, which entrysim runs; any other
     * instruction there ends the run ({@link StopReason#COMPAT_MODE}).
     */
    private boolean runsAlikeInCompatMode() {
        if (index < 0 || index == cache.end) {
            return false;
        }
        Op op = cache.insn(index).op;
        return op == Op.SYSCALL || op == Op.SYSENTER || op == Op.INT || op == Op.INT1;
    }

    /** What happens at the boundary before the next instruction: due events, then the stops that need no instruction. */
    private StopReason atBoundary() {
        if (schedule.nextStep() <= stepCount + 1 || cpu.events().anyPending()) {
            StopReason s = deliverDueEvents();
            if (s != null) {
                return s;
            }
        }
        if (cpu.compatMode() && !runsAlikeInCompatMode()) {
            stopDetail = (modeInsn == null ? "CS 0x" + Integer.toHexString(cpu.cs()) + " is a 32-bit code segment"
                : SystemOps.mnemonic(modeInsn) + " returned to compatibility mode (CS 0x" + Integer.toHexString(cpu.cs())
                    + ") at 0x" + Long.toHexString(cpu.rip()))
                + "; entrysim runs 64-bit code only";
            return StopReason.COMPAT_MODE;
        }
        if (index == cache.end) {
            return StopReason.END;
        }
        if (index < 0) {
            if (userReturn) {
                stopDetail = SystemOps.mnemonic(modeInsn) + " returned to user mode (CPL 3) at 0x"
                    + Long.toHexString(cpu.rip()) + ", where the program has no code";
                return StopReason.RETURN_TO_USER;
            }
            noCode(modeInsn);
            return StopReason.FAULT;
        }
        return null;
    }

    /** Null when every due event was delivered (or none was due), else why the run stops. */
    private StopReason deliverDueEvents() {
        EventState ev = cpu.events();
        long boundary = stepCount + 1;
        while (true) {
            EventDelivery.Event e;
            int irq;
            if (schedule.nextStep() <= boundary) {
                long at = schedule.peekStep();
                int v = schedule.take();
                if (v == Vectors.NMI) {
                    if (ev.nmiPending()) {
                        droppedNmis++;
                    } else {
                        ev.setNmiPending(true);
                        nmiInjectedAt = at;
                    }
                    continue;
                }
                if (v >= Vectors.FIRST_EXTERNAL) {
                    ev.requestInterrupt(v);
                    if (irqInjectedAt == null) {
                        irqInjectedAt = new long[256];
                    }
                    irqInjectedAt[v] = at;
                    continue;
                }
                e = injected.set(v, Vectors.hasErrorCode(v), 0, false, Delivery.Cause.INJECTED, null, null, at);
            } else if (ev.nmiPending() && !ev.nmiBlocked()) {
                ev.setNmiPending(false);
                e = injected.set(Vectors.NMI, false, 0, false, Delivery.Cause.INJECTED, null, null, nmiInjectedAt);
                nmiInjectedAt = -1;
            } else if ((cpu.rflags() & Flags.IF) != 0 && !ev.interruptShadow() && (irq = ev.highestRequest()) >= 0) {
                ev.clearInterrupt(irq);
                e = injected.set(irq, false, 0, false, Delivery.Cause.INJECTED, null, null,
                    irqInjectedAt == null ? -1 : irqInjectedAt[irq]);
            } else {
                return null;
            }
            StopReason stop = deliver(e, cpu.rip(), currentInsn(), options.faults() == ExecOptions.Faults.DELIVER);
            if (stop != null) {
                return stop;
            }
        }
    }

    /** Delivers one event (and what its delivery raises): null, or FAULT with the fault recorded. */
    private StopReason deliver(EventDelivery.Event e, long savedRip, Insn interrupted, boolean nest) {
        if (++deliveriesInARow > MAX_DELIVERIES_WITHOUT_PROGRESS) {
            lastFault = new CpuFault(Vectors.name(e.vector()), e.vector(), e.errorCode(), e.hasErrorCode(),
                OptionalLong.empty(), MAX_DELIVERIES_WITHOUT_PROGRESS
                    + " events delivered with no instruction completing (does a handler fault at once?)");
            lastFaultInsn = interrupted;
            return StopReason.FAULT;
        }
        try {
            Delivery d = delivery.deliver(e, savedRip, interrupted, stepCount + 1, nest, listener != null);
            index = indexOfRip();
            modeInsn = null;
            userReturn = false;
            if (listener != null) {
                listener.onDelivery(d);
            }
            return null;
        } catch (EventDelivery.Stop stop) {
            lastFault = stop.fault;
            lastFaultInsn = interrupted;
            return StopReason.FAULT;
        }
    }

    private int indexOfRip() {
        long rip = cpu.rip();
        int i = cache.indexOf(rip);
        if (i >= 0) {
            return i;
        }
        return code.length > 0 && rip == semantics.endAddress() ? cache.end : -1;
    }

    // ---- one instruction

    /**
     * Executes {@code code[index]}. A fault leaves the instruction uncommitted: index and RIP stay
     * at it (CR2 gets a #PF's address), and the listener hears nothing; with {@code
     * Faults.DELIVER} the fault is then delivered through the IDT. Returns null to go on, else why
     * the run stops; {@link #committed} says whether the instruction was a step.
     */
    private StopReason execute() {
        committed = false;
        int at = index;
        Insn insn = cache.insn(at);
        executing = insn;
        if (audit != null) {
            audit.current = insn;
            audit.currentIndex = at;
            audit.step = stepCount + 1;
        }
        StepListener l = listener;
        if (l != null) {
            recorder.before();
        }
        PersistentLog<Cr3Write> cr3Before = cpu.cr3Log();
        int cplBefore = cpu.cpl();
        EventState ev = cpu.events();
        boolean shadowBefore = ev.interruptShadow();
        int next;
        try {
            if (memory.accessChecker() != null) {
                memory.checkFetch(insn.address, (int) Math.max(1, insn.nextAddress - insn.address));
            }
            next = semantics.execute(insn, at); // #UD first for a form that cannot execute
        } catch (CpuFault fault) {
            recorder.abandon();
            cpu.setRip(insn.address);
            if (fault.vectorNumber() == CpuFault.PF && fault.address().isPresent()) {
                cpu.setCr2(fault.address().getAsLong());
            }
            lastFault = fault.withCr3(cpu.cr3());
            lastFaultInsn = insn;
            if (options.faults() == ExecOptions.Faults.DELIVER) {
                return deliver(new EventDelivery.Event(fault.vectorNumber(), fault.hasErrorCode(), fault.errorCode(),
                    true, Delivery.Cause.FAULT, fault, null, -1), insn.address, insn, true);
            }
            return StopReason.FAULT;
        }
        if (next == Semantics.STUB_STOP) {
            recorder.abandon();
            stopDetail = "call to undefined function `" + SystemOps.stubSymbol(insn) + "'";
            return StopReason.UNDEFINED_FUNCTION;
        }
        stepCount++;
        committed = true;
        lastInsn = insn;
        if (cpu.cr3Log() != cr3Before || cpu.cpl() != cplBefore) {
            checks.afterCommit(insn, cr3Before, cplBefore);
        }
        deliveriesInARow = 0;
        if (shadowBefore) {
            ev.setInterruptShadow(false);
        }
        modeInsn = null;
        userReturn = false;
        StopReason status = null;
        if (next >= 0) {
            if (cache.stale(next)) {
                next = cache.indexOf(cache.insn(next).address); // a write changed the code there
            }
            index = next;
            cpu.setRip(next >= 0 && next != cache.end ? cache.address(next) : semantics.endAddress());
        } else if (next == Semantics.HALT) {
            int after = cache.fallThrough(at);
            index = after >= 0 ? after : cache.end;
            cpu.setRip(insn.nextAddress);
            status = StopReason.HLT;
        } else if (next == Semantics.RET_STOP) {
            index = cache.indexOf(cpu.rip());
            status = StopReason.RET;
        } else if (next == Semantics.FELL_OFF) {
            index = cache.end;
            cpu.setRip(insn.nextAddress);
        } else if (next == Semantics.SOFTWARE_INTERRUPT) {
            int after = cache.fallThrough(at);
            index = after >= 0 ? after : cache.end;
            cpu.setRip(insn.nextAddress);
        } else if (next == Semantics.TRANSFERRED) {
            index = indexOfRip();
            if (index < 0 || cpu.compatMode()) {
                modeInsn = insn;
                userReturn = index < 0 && cpu.cpl() == 3;
            }
        } else { // NO_CODE: the transfer committed (RIP = target); fetching there is what faults
            index = -1;
            noCode(insn);
            status = StopReason.FAULT;
        }
        if (cache.touched) {
            // the instruction wrote into code: what runs next is what the bytes say now
            cache.touched = false;
            if (index >= 0 && index != cache.end) {
                index = cache.indexOf(cpu.rip());
            }
        }
        if (l != null) {
            l.onStep(recorder.after(insn, at, stepCount));
        }
        if (next == Semantics.TRANSFERRED && returnToUser != null && cpu.cpl() == 3) {
            returnToUser.onReturnToUser(cpu, insn);
        }
        if (next == Semantics.SOFTWARE_INTERRUPT) {
            return deliver(new EventDelivery.Event(semantics.softwareVector, false, 0, false, Delivery.Cause.SOFTWARE,
                null, null, -1), insn.nextAddress, currentInsn(), options.faults() == ExecOptions.Faults.DELIVER);
        }
        return status;
    }

    /** The #PF-like stop for "RIP is not the address of an instruction". */
    private void noCode(Insn transfer) {
        long rip = cpu.rip();
        String what = transfer == null
            ? "no instruction at rip 0x" + Long.toHexString(rip)
            : transfer.op.name().toLowerCase() + " to non-code address 0x" + Long.toHexString(rip)
                + " (no instruction starts there)";
        int error = CpuFault.PF_FETCH | (cpu.cpl() == 3 ? CpuFault.PF_USER : 0);
        lastFault = CpuFault.pageFault(rip, error, what).withCr3(cpu.cr3());
        lastFaultInsn = transfer;
        cpu.setCr2(rip);
    }
}
