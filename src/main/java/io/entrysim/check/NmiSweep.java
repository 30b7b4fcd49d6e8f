package io.entrysim.check;

import io.entrysim.cpu.Vectors;
import io.entrysim.diag.Locations;
import io.entrysim.exec.Delivery;
import io.entrysim.exec.Violation;
import io.entrysim.kernel.MachineLayout;
import io.entrysim.parallel.Workers;
import io.entrysim.session.Build;
import io.entrysim.session.Machine;
import io.entrysim.session.RunOutcome;
import io.entrysim.session.RunSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

/**
 * {@code ENTRYSIM-NMI: each}: one run without NMI gives the number of boundaries; then, for each
 * boundary k, a machine is restored to its starting snapshot (never rebuilt) and run with an
 * NMI before step k. The boundaries are shared out among the workers, each with a machine of its
 * own; the report lists them in order, whoever ran them. Each such run must keep the NMI invariants:
 * <ul>
 * <li>the NMI is delivered, on its IST stack when the gate has one;
 * <li>the handler runs on a kernel CR3: every C function it calls, and at least one of its
 *     boundaries (its first included);
 * <li>its IRET resumes the interrupted instruction with exactly the registers, RFLAGS, CR3,
 *     segment bases and selectors it interrupted;
 * <li>no lost flush (no violation the run without NMI does not have);
 * <li>every expectation still holds ({@code cr3-writes} counting the interrupted program's
 *     writes only, not the handler's).
 * </ul>
 */
final class NmiSweep {
    /** Failing boundaries described in full; the rest are counted. */
    static final int SHOWN = 3;
    /**
     * More boundaries than this is a run too long to sweep (the cost grows with the square of its
     * length): the sweep fails saying so rather than running for hours.
     */
    static final long MAX_BOUNDARIES = 10_000;

    private NmiSweep() {}

    /** Sweeps; adds the failing boundaries to {@code diag}; returns the number of boundaries. */
    static long run(TestPoint p, Build build, List<String> diag, Workers workers) {
        NmiSweepSpec sweep = p.sweep();
        RunSpec spec = p.config().run();
        List<String> extra = new ArrayList<>();
        MachineLayout.IdtEntry gate = spec.idt().stream().filter(e -> e.vector() == Vectors.NMI).findFirst().orElse(null);
        if (gate == null) {
            gate = sweep.gate();
            List<MachineLayout.IdtEntry> idt = new ArrayList<>(spec.idt());
            idt.add(gate);
            spec = spec.withIdt(idt);
            extra.add("--idt");
            extra.add("2=" + gate.handler() + ":" + gate.ist());
        }
        Machine plain = Machine.create(build, spec);
        plain.setTracer(new NmiRecorder(plain.cpu()));   // as the swept runs are traced
        RunOutcome base = plain.run();
        boolean baseViolates = !base.violations().isEmpty();
        if (base.maxStepsReached() || base.steps() > MAX_BOUNDARIES) {
            diag.add("no NMI sweep: the run without an NMI " + (base.maxStepsReached()
                    ? "hit the step limit (" + spec.maxSteps() + ")"
                    : "takes " + base.steps() + " steps, more than the " + MAX_BOUNDARIES + " boundaries a sweep covers")
                    + "; narrow it (--entry, --max-steps)");
            diag.add("reproduce: " + p.config().reproduce(extra));
            return base.steps();
        }

        List<Long> boundaries = LongStream.rangeClosed(1, base.steps()).boxed().toList();
        RunSpec swept = spec;
        MachineLayout.IdtEntry nmiGate = gate;
        // a boundary is a few microseconds: claim several at a time, but leave every worker some
        int chunk = (int) Math.max(1, Math.min(16, base.steps() / (8L * workers.jobs())));
        List<Failure> failures = workers.map(boundaries, chunk, () -> new Worker(build, swept),
                (w, k) -> w.boundary(p, k, nmiGate, baseViolates));
        int failed = 0;
        for (Failure f : failures) {
            if (f == null || ++failed > SHOWN) {
                continue;
            }
            diag.add("NMI before step " + f.step() + f.where() + ":");
            f.lines().forEach(x -> diag.add("  " + x));
            List<String> repro = new ArrayList<>(extra);
            repro.add("--nmi-at");
            repro.add(Long.toString(f.step()));
            diag.add("  reproduce: " + p.config().reproduce(repro) + " --trace");
        }
        if (failed > 0) {
            diag.add(0, failed + " of " + base.steps() + " boundaries fail the NMI invariants or the expectations");
        }
        return base.steps();
    }

    /** A failing boundary: where the NMI came in, the broken invariants, then the missed expectations. */
    private record Failure(long step, String where, List<String> lines) {}

    /**
     * One worker's machine, never shared: restored to its starting snapshot before each boundary
     * (a restore is bit-identical to a fresh machine, and much cheaper).
     */
    private static final class Worker {
        final Machine m;
        final NmiRecorder rec;
        final Machine.Snapshot start;
        final Map<String, Long> initial;
        /** The boundary's problems, reused: a boundary that keeps everything allocates no list. */
        final List<String> problems = new ArrayList<>();

        Worker(Build build, RunSpec spec) {
            m = Machine.create(build, spec);
            rec = new NmiRecorder(m.cpu());
            m.setTracer(rec);
            start = m.snapshot();
            initial = StateValues.read(m.cpu());
        }

        /** The run with an NMI before step {@code k}; null when it keeps the invariants and the expectations. */
        Failure boundary(TestPoint p, long k, MachineLayout.IdtEntry gate, boolean baseViolates) {
            m.restore(start);
            rec.reset();
            m.injectNmiAt(k);
            RunOutcome r = m.run();
            List<String> lines = problems;
            lines.clear();
            invariants(rec, r, gate, baseViolates, lines);
            Observation o = new Observation(m, r, initial, initial.get("rsp"), rec.programCr3Writes);
            for (Expectation e : p.expectations()) {
                Mismatch miss = e.check(o);
                if (miss != null) {
                    SpecRunner.describe(miss, lines);
                }
            }
            if (lines.isEmpty()) {
                return null;
            }
            Delivery d = rec.delivery;
            String where = d == null || d.interrupted() == null ? ""
                    : " (" + Locations.describe(d.interrupted().origin, d.interrupted().text) + ")";
            return new Failure(k, where, List.copyOf(lines));
        }
    }

    private static void invariants(NmiRecorder rec, RunOutcome r, MachineLayout.IdtEntry gate, boolean baseViolates,
                                   List<String> problems) {
        Delivery d = rec.delivery;
        if (d == null) {
            problems.add("the NMI was never delivered (stop: " + r.stop().label() + ")");
            return;
        }
        if (rec.nmiCount > 1) {
            problems.add(rec.nmiCount + " NMIs delivered for one injected");
        }
        if (gate.ist() > 0 && (d.stack() != Delivery.Stack.IST || d.ist() != gate.ist())) {
            problems.add("delivered on " + (d.stack() == Delivery.Stack.IST ? "IST" + d.ist() : d.stack().name())
                    + ", not on its IST" + gate.ist() + " stack");
        }
        if (!rec.handlerSawKernelCr3) {
            problems.add("the handler never ran on a kernel CR3");
        }
        for (NmiRecorder.CCall c : rec.handlerCalls) {
            if (io.entrysim.cpu.AddressSpace.isUserView(c.cr3())) {
                problems.add("the handler called " + c.insn().text + " on the user CR3 0x" + Long.toHexString(c.cr3()));
            }
        }
        if (rec.resumedBy == null) {
            if (r.fault() != null) {
                String at = r.faultingInsn() == null ? "" : " at " + Locations.describe(r.faultingInsn().origin, r.faultingInsn().text);
                problems.add("fault " + r.fault().summary() + at + " before the NMI returned");
            } else {
                problems.add("the NMI never returned to the interrupted instruction (stop: " + r.stop().label() + ")");
            }
        } else {
            List<String> diffs = null;
            for (int i = 0; i < rec.interrupted.length; i++) {
                long now = rec.resumed[i];
                if (now != rec.interrupted[i]) {
                    if (diffs == null) {
                        diffs = new ArrayList<>();
                    }
                    diffs.add(StateValues.NAMES.get(i) + " 0x" + Long.toHexString(now) + " (interrupted with 0x"
                            + Long.toHexString(rec.interrupted[i]) + ")");
                }
            }
            if (diffs != null) {
                problems.add("resumed by " + Locations.describe(rec.resumedBy.origin, rec.resumedBy.text) + " with "
                        + String.join(", ", diffs));
            }
        }
        if (!baseViolates) {
            for (Violation v : r.violations()) {
                problems.add(v.kind() + ": " + v.message() + (v.at() == null ? ""
                        : " at " + Locations.describe(v.at().origin, v.at().text)));
            }
        }
    }
}
