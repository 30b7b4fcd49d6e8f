package io.entrysim.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Memory;
import io.entrysim.exec.StepEvent;
import io.entrysim.exec.StepListener;
import io.entrysim.session.Build;
import io.entrysim.session.Machine;
import io.entrysim.session.RunOutcome;
import io.entrysim.session.Until;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Snapshots cover all state: on v4.15's SYSCALL round trip with an NMI in the exit window
 * (PTI, PCID), run N steps, snapshot, run M more, restore, run the same M again: the machine
 * (registers, control registers, MSRs, every byte of memory, the TLB's stale PCIDs) and the
 * outputs (the trace of those M steps, the outcome with its CR3 writes and their sites, violations,
 * stop) are identical both times, for cut points before, inside and after the NMI.
 */
class MachineDeterminismTest {
    static final long NMI_AT = 74;

    /** Every committed step, written out as the trace sees it. */
    static final class Lines implements StepListener {
        final List<String> lines = new ArrayList<>();

        @Override
        public void onStep(StepEvent e) {
            StringBuilder sb = new StringBuilder().append(e.step()).append(' ').append(Long.toHexString(e.insn().address))
                    .append(' ').append(e.insn().text);
            e.registers().forEach(r -> sb.append(' ').append(r.name()).append('=').append(Long.toHexString(r.newValue())));
            e.memoryWrites().forEach(w -> sb.append(" [").append(Long.toHexString(w.address())).append("]=")
                    .append(HexFormat.of().formatHex(w.newBytes())));
            e.cr3Writes().forEach(w -> sb.append(" cr3<-").append(Long.toHexString(w.valueWritten())));
            lines.add(sb.toString());
        }

        @Override
        public void onDelivery(io.entrysim.exec.Delivery d) {
            lines.add(">>> " + d.describe());
        }
    }

    /** The whole observable state of the machine and the run so far, as text. */
    static String state(Machine m) {
        Cpu c = m.cpu();
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < 16; r++) {
            sb.append(Long.toHexString(c.reg(r))).append(' ');
        }
        sb.append("rip=").append(Long.toHexString(c.rip())).append(" rflags=").append(Long.toHexString(c.rflags()))
                .append(" undef=").append(Long.toHexString(c.undefinedFlags()))
                .append(" cr2=").append(Long.toHexString(c.cr2())).append(" cr3=").append(Long.toHexString(c.cr3()))
                .append(" gs=").append(Long.toHexString(c.gsBase())).append(" kgs=").append(Long.toHexString(c.kernelGsBase()))
                .append(" cs=").append(c.cs()).append(" ss=").append(c.ss()).append(" cpl=").append(c.cpl())
                .append(" nmiBlocked=").append(c.events().nmiBlocked()).append(" nmiPending=").append(c.events().nmiPending())
                .append(" index=").append(m.currentIndex()).append(" steps=").append(m.steps());
        for (long pcid = 0; pcid < 0x1000; pcid++) {
            if (c.tlb().staleness((int) pcid) != null) {
                sb.append(" stale=").append(Long.toHexString(pcid));
            }
        }
        sb.append('\n');
        Memory mem = c.memory();
        for (long page : mem.pageAddresses()) {
            sb.append(Long.toHexString(page)).append(':').append(HexFormat.of().formatHex(mem.readBytes(page, Memory.PAGE_SIZE)))
                    .append('\n');
        }
        RunOutcome o = m.outcome();
        sb.append("stop=").append(o.stop()).append(" steps=").append(o.steps()).append(" detail=").append(o.detail())
                .append(" fault=").append(o.fault() == null ? null : o.fault().summary())
                .append(" last=").append(o.lastInsn() == null ? null : o.lastInsn().address);
        o.cr3Writes().forEach(w -> sb.append("\ncr3 ").append(Long.toHexString(w.write().valueWritten()))
                .append(" at ").append(w.insn().origin.pos().fileLine()));
        o.violations().forEach(v -> sb.append("\nviolation ").append(v));
        o.flagViolations().forEach(v -> sb.append("\nflags ").append(v.message()));
        return sb.toString();
    }

    @ParameterizedTest(name = "snapshot after {0} steps")
    @ValueSource(longs = {0, 1, 30, 73, 74, 76, 90})
    void restoringAndRunningAgainIsBitIdentical(long n) {
        Build b = EntryV415.build("PTI", "PCID");
        Machine m = EntryV415.userMachine(b, "user_syscall", cpu -> { });
        m.injectNmiAt(NMI_AT);
        Lines trace = new Lines();
        m.setTracer(trace);
        m.run(Until.steps(n));
        assertEquals(n, m.steps());
        Machine.Snapshot cut = m.snapshot();
        String atCut = state(m);

        trace.lines.clear();
        m.run();
        String first = state(m);
        List<String> firstTrace = List.copyOf(trace.lines);

        m.restore(cut);
        assertEquals(atCut, state(m), "restore puts back exactly the state at the snapshot");
        trace.lines.clear();
        m.run();
        assertEquals(firstTrace, trace.lines, "the same steps, the same changes");
        assertEquals(first, state(m));
        assertNotEquals(atCut, first, "the run after the cut did something");
        // A run that stops at a step limit first delivers the events due at that boundary, so
        // the NMI due before step 74 is already in the snapshot taken after 73 steps.
        long expected = n < NMI_AT - 1 ? 1 : 0;
        assertEquals(expected, firstTrace.stream().filter(l -> l.startsWith(">>>") && l.contains("NMI")).count(),
                "NMI deliveries after the cut: " + firstTrace);
    }
}
