package io.entrysim.debug;

import io.entrysim.cpu.Reg;
import io.entrysim.session.Machine;
import java.util.Arrays;

/** Compares two machines' whole state, for the tests that say "the same as a fresh run". */
public final class MachineComparison {
    private MachineComparison() {}

    /** Empty when the two machines are in the same state, else what differs. */
    public static String difference(Machine a, Machine b) {
        StringBuilder d = new StringBuilder();
        if (a.steps() != b.steps()) d.append("steps ").append(a.steps()).append(" vs ").append(b.steps()).append("; ");
        if (!Arrays.equals(a.cpu().gprs(), b.cpu().gprs())) d.append("gprs differ; ");
        if (a.cpu().rip() != b.cpu().rip()) d.append("rip; ");
        if (a.cpu().rflags() != b.cpu().rflags()) d.append("rflags; ");
        if (a.cpu().cr3() != b.cpu().cr3()) d.append("cr3 ").append(Long.toHexString(a.cpu().cr3())).append(" vs ")
                .append(Long.toHexString(b.cpu().cr3())).append("; ");
        if (a.cpu().cr4() != b.cpu().cr4() || a.cpu().cr2() != b.cpu().cr2()) d.append("cr2/cr4; ");
        if (a.cpu().gsBase() != b.cpu().gsBase() || a.cpu().kernelGsBase() != b.cpu().kernelGsBase()) d.append("gs; ");
        if (a.cpu().cs() != b.cpu().cs() || a.cpu().ss() != b.cpu().ss()) d.append("cs/ss; ");
        if (!a.cpu().memory().sameContents(b.cpu().memory())) d.append("memory; ");
        if (!a.cpu().tlb().toString().equals(b.cpu().tlb().toString())) d.append("tlb; ");
        if (a.cpu().cr3Writes().size() != b.cpu().cr3Writes().size()) d.append("cr3 log; ");
        if (a.finished() != b.finished()) d.append("finished ").append(a.finished()).append(" vs ").append(b.finished()).append("; ");
        if (a.currentIndex() != b.currentIndex()) d.append("index; ");
        if (a.cpu().reg(Reg.RSP) != b.cpu().reg(Reg.RSP)) d.append("rsp; ");
        return d.toString();
    }
}
