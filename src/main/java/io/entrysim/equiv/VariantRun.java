package io.entrysim.equiv;

import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Reg;
import io.entrysim.exec.Delivery;
import io.entrysim.exec.StepEvent;
import io.entrysim.exec.StepListener;
import io.entrysim.exec.Violation;
import io.entrysim.session.Build;
import io.entrysim.session.Machine;
import io.entrysim.session.RunOutcome;
import io.entrysim.session.RunSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One variant's runs for {@code entrysim equiv}: the machine as the options say, run to its stop
 * (with an NMI before step {@code nmiAt} when that is positive), as often as asked (a restore
 * each time, not a new machine: one per worker and state for the NMI boundaries), with the addresses it wrote, its
 * CR3 writes and its trace recorded. Writes to the stack below the entry RSP (the variant's own
 * scratch) are left out unless {@code stack} is set; so is everything the NMI handler does, from
 * the delivery to the IRET back to the interrupted instruction (its memory and CR3 writes are its
 * own business: what counts is what the interrupted program ends up doing).
 */
final class VariantRun implements StepListener {
    /** How far below the entry RSP counts as the variant's own stack. */
    static final long STACK_SPAN = 0x4000;

    final Machine machine;
    /** The machine as created: each {@link #run} starts from it. */
    private final Machine.Snapshot start;
    RunOutcome outcome;
    Set<Long> written;
    List<String> trace;
    List<String> cr3Writes;
    private final long entryRsp;
    private final boolean stack;
    /** Whether the NMI handler is running, and the interrupted RIP its IRET goes back to. */
    private boolean inNmi;
    private long nmiReturnRip;

    /** The machine for {@code spec}, ready to {@link #run}. */
    VariantRun(Build build, RunSpec spec, boolean stack) {
        this.machine = Machine.create(build, spec);
        this.entryRsp = machine.cpu().reg(Reg.RSP);
        this.stack = stack;
        machine.setTracer(this);
        this.start = machine.snapshot();
    }

    /**
     * Runs from the machine's starting state (restored, so running again is as running a fresh
     * machine) with an NMI before step {@code nmiAt} when that is positive.
     */
    VariantRun run(long nmiAt) {
        machine.restore(start);
        written = new TreeSet<>();
        trace = new ArrayList<>();
        cr3Writes = new ArrayList<>();
        inNmi = false;
        nmiReturnRip = 0;
        if (nmiAt > 0) {
            machine.injectNmiAt(nmiAt);
        }
        outcome = machine.run();
        return this;
    }

    @Override
    public void onStep(StepEvent e) {
        trace.add((inNmi ? "  " : "") + (e.insn().origin == null ? e.insn().text
                : e.insn().origin.pos().fileLine() + "  " + e.insn().text));
        if (inNmi) {
            inNmi = !(e.insn().op == io.entrysim.assemble.Op.IRET && machine.cpu().rip() == nmiReturnRip);
            return;
        }
        for (var w : e.cr3Writes()) {
            cr3Writes.add((w.noFlush() ? "noflush " : "flush ") + Observed.hex(w.stored()));
        }
        for (StepEvent.MemWrite w : e.memoryWrites()) {
            for (int i = 0; i < w.size(); i++) {
                long a = w.address() + i;
                if (stack || Long.compareUnsigned(a, entryRsp) >= 0 || Long.compareUnsigned(a, entryRsp - STACK_SPAN) < 0) {
                    written.add(a);
                }
            }
        }
    }

    @Override
    public void onDelivery(Delivery d) {
        trace.add("  (" + d.describe() + ")");
        if (d.vector() == io.entrysim.cpu.Vectors.NMI && !inNmi) {
            inNmi = true;
            nmiReturnRip = d.savedRip();
        }
    }

    /** The observables, with the final bytes at {@code addresses} (both variants' writes). */
    Observed observe(Set<Long> addresses) {
        Cpu c = machine.cpu();
        Map<String, Long> gprs = new LinkedHashMap<>();
        for (int r = 0; r < Reg.COUNT; r++) {
            gprs.put(Reg.name64(r), c.reg(r));
        }
        List<String> cr3 = List.copyOf(cr3Writes);
        TreeMap<Long, Integer> memory = new TreeMap<>(Long::compareUnsigned);
        for (long a : addresses) {
            memory.put(a, (int) c.memory().peek(a, 1));
        }
        List<String> violations = outcome.violations().stream().map(Violation::kind).toList();
        String fault = outcome.fault() == null ? null : outcome.fault().vector();
        return new Observed(outcome.stop().label(), fault, violations, cr3, gprs, c.rflags(), memory, trace);
    }
}
