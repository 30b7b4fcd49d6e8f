package io.entrysim.exec;

import io.entrysim.assemble.Insn;
import io.entrysim.assemble.Program;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.CpuFault;
import io.entrysim.cpu.Cr3Log;
import io.entrysim.cpu.Memory;
import io.entrysim.cpu.Reg;
import io.entrysim.cpu.ViolationLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs a decoded {@link Program} on a {@link Cpu}. The executor is a cursor: the index of the
 * next instruction ({@link #currentIndex()}), kept in sync with RIP, plus the entry frame (RSP at
 * {@link #begin}). {@link #run}/{@link #resume} loop without allocating when no listener is set;
 * {@link #step()} executes one instruction, for debuggers.
 *
 * <p>Index conventions: {@code code.length} means "ended" (RIP is just past the code);
 * -1 means RIP is not the address of any instruction (after a jump or ret to such an address).
 */
public final class Executor {
    /** execute() outcomes: committed and can go on / committed and stops / not committed. */
    private static final int CONTINUE = 0, HALTED = 1, RETURNED = 2, JUMPED_NOWHERE = 3, FAULTED = 4;

    private final Program program;
    private final Insn[] code;
    private final long[] addresses;
    private final String[] problems;
    private final Cpu cpu;
    private final Memory memory;
    private final Datapath datapath;
    private final Alu alu;
    private final Semantics semantics;
    private final FlagAudit audit;
    private StepListener listener;
    private final StepRecorder recorder;
    private final MachineChecks checks;
    /** The CPU's violation log at {@link #begin}: {@link #violations()} are those added since. */
    private ViolationLog violationsAtBegin;

    private int index;
    private long stepCount;
    // Details of the last fault (FAULTED or JUMPED_NOWHERE).
    private CpuFault lastFault;
    private Insn lastFaultInsn;

    public Executor(Program program, Cpu cpu) {
        this(program, cpu, ExecOptions.DEFAULT);
    }

    public Executor(Program program, Cpu cpu, ExecOptions options) {
        this.program = program;
        this.code = program.code();
        this.cpu = cpu;
        this.memory = cpu.memory();
        this.addresses = new long[code.length];
        this.problems = new String[code.length];
        for (int i = 0; i < code.length; i++) {
            addresses[i] = code[i].address;
            problems[i] = InsnShapes.problem(code[i], code.length);
        }
        this.datapath = new Datapath(cpu);
        this.alu = new Alu(cpu);
        this.semantics = new Semantics(cpu, datapath, alu, program);
        this.audit = options.strictFlags() ? new FlagAudit(cpu) : null;
        this.alu.audit = audit;
        this.semantics.audit = audit;
        this.recorder = new StepRecorder(cpu, datapath);
        this.checks = new MachineChecks(cpu);
        this.violationsAtBegin = cpu.violationLog();
        this.semantics.entryRsp = cpu.reg(Reg.RSP);
        int at = program.indexOf(cpu.rip());
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

    public StepListener listener() {
        return listener;
    }

    /** Observes each executed instruction (null: none). */
    public void setListener(StepListener listener) {
        this.listener = listener;
    }

    // ---- cursor

    /** Starts a run at {@code startIndex}: sets RIP, takes the current RSP as the entry frame, resets the step count and flag reports. */
    public void begin(int startIndex) {
        setIndex(startIndex);
        semantics.entryRsp = cpu.reg(Reg.RSP);
        stepCount = 0;
        violationsAtBegin = cpu.violationLog();
        if (audit != null) {
            audit.reset();
        }
    }

    public int currentIndex() {
        return index;
    }

    /** The next instruction to run, or null when there is none. */
    public Insn currentInsn() {
        return index >= 0 && index < code.length ? code[index] : null;
    }

    /** Moves the cursor (0..code.length) and RIP with it; the entry frame is kept. */
    public void setIndex(int index) {
        if (index < 0 || index > code.length) {
            throw new IllegalArgumentException("instruction index " + index + " not in 0.." + code.length);
        }
        this.index = index;
        cpu.setRip(index < code.length ? addresses[index] : semantics.endAddress());
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
        List<Violation> out = new ArrayList<>();
        for (ViolationLog.Entry e : cpu.violationLog().since(violationsAtBegin)) {
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

    // ---- running

    public RunResult run(int startIndex, long maxSteps) {
        begin(startIndex);
        return resume(maxSteps);
    }

    /** Continues from the cursor for at most {@code maxSteps} more instructions. */
    public RunResult resume(long maxSteps) {
        long steps = 0;
        while (true) {
            if (index >= code.length) {
                return result(StopReason.END, steps);
            }
            if (index < 0) {
                noCode(null);
                return result(StopReason.FAULT, steps);
            }
            if (steps >= maxSteps) {
                return result(StopReason.MAX_STEPS, steps);
            }
            int status = execute();
            if (status != FAULTED) {
                steps++;
            }
            if (status != CONTINUE) {
                return result(stopReason(status), steps);
            }
        }
    }

    /** Executes one instruction (or reports why none can run). */
    public StepResult step() {
        if (index >= code.length) {
            return new StepResult(null, index, StopReason.END, null);
        }
        if (index < 0) {
            noCode(null);
            return new StepResult(null, index, StopReason.FAULT, lastFault);
        }
        int at = index;
        Insn insn = code[at];
        int status = execute();
        if (status == CONTINUE) {
            return new StepResult(insn, at, index >= code.length ? StopReason.END : null, null);
        }
        StopReason stop = stopReason(status);
        return new StepResult(insn, at, stop, stop == StopReason.FAULT ? lastFault : null);
    }

    private static StopReason stopReason(int status) {
        return switch (status) {
            case HALTED -> StopReason.HLT;
            case RETURNED -> StopReason.RET;
            default -> StopReason.FAULT;
        };
    }

    private RunResult result(StopReason stop, long steps) {
        boolean fault = stop == StopReason.FAULT;
        return new RunResult(stop, steps, fault ? lastFault : null, fault ? lastFaultInsn : null, index,
            flagViolations(), violations());
    }

    /**
     * Executes {@code code[index]}. A fault leaves the instruction uncommitted: index and RIP stay
     * at it (CR2 gets a #PF's address), and the listener hears nothing.
     */
    private int execute() {
        int at = index;
        Insn insn = code[at];
        if (audit != null) {
            audit.current = insn;
            audit.currentIndex = at;
            audit.step = stepCount + 1;
        }
        StepListener l = listener;
        if (l != null) {
            recorder.before();
        }
        Cr3Log cr3Before = cpu.cr3Log();
        int cplBefore = cpu.cpl();
        int next;
        try {
            if (memory.accessChecker() != null) {
                memory.checkFetch(insn.address, (int) Math.max(1, insn.nextAddress - insn.address));
            }
            if (problems[at] != null) {
                throw CpuFault.invalidOpcode("cannot execute '" + insn.text + "': " + problems[at]);
            }
            next = semantics.execute(insn, at);
        } catch (CpuFault fault) {
            recorder.abandon();
            cpu.setRip(insn.address);
            if (fault.vectorNumber() == CpuFault.PF && fault.address().isPresent()) {
                cpu.setCr2(fault.address().getAsLong());
            }
            lastFault = fault.withCr3(cpu.cr3());
            lastFaultInsn = insn;
            return FAULTED;
        }
        stepCount++;
        if (cpu.cr3Log() != cr3Before || cpu.cpl() != cplBefore) {
            checks.afterCommit(insn, cr3Before, cplBefore);
        }
        int status = CONTINUE;
        if (next >= 0) {
            index = next;
            cpu.setRip(next < code.length ? addresses[next] : semantics.endAddress());
        } else if (next == Semantics.HALT) {
            int after = semantics.fallThrough[at];
            index = after >= 0 ? after : code.length;
            cpu.setRip(insn.nextAddress);
            status = HALTED;
        } else if (next == Semantics.RET_STOP) {
            index = program.indexOf(cpu.rip());
            status = RETURNED;
        } else if (next == Semantics.FELL_OFF) {
            index = code.length;
            cpu.setRip(insn.nextAddress);
        } else { // NO_CODE: the transfer committed (RIP = target); fetching there is what faults
            index = -1;
            noCode(insn);
            status = JUMPED_NOWHERE;
        }
        if (l != null) {
            l.onStep(recorder.after(insn, at, stepCount));
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
