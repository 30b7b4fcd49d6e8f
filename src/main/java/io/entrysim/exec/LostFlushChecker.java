package io.entrysim.exec;

import io.entrysim.assemble.Insn;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Cr3Write;
import io.entrysim.cpu.Tlb;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * "Is a requested user-PCID flush ever lost?" On a return to user mode (SYSRET/IRET landing at
 * CPL 3, or the end of a run declared to exit to user mode), the PCID in force must not hold TLB
 * entries the kernel has invalidated: the exit path had to write CR3 without NOFLUSH. If it does,
 * a {@link Violation#LOST_FLUSH} is added to the CPU's violation log.
 */
public final class LostFlushChecker {
    private final Function<Cr3Write, Insn> siteOf;

    /** @param siteOf the instruction that made a CR3 write, or null if unknown */
    public LostFlushChecker(Function<Cr3Write, Insn> siteOf) {
        this.siteOf = siteOf;
    }

    /** A checker that cannot name the instructions of CR3 writes. */
    public static LostFlushChecker withoutSites() {
        return new LostFlushChecker(w -> null);
    }

    /**
     * Checks the state at a return to user mode; {@code at} is the returning instruction (or the
     * last one executed). Returns the violation, also appended to {@code cpu}'s log.
     */
    public Optional<Violation> onReturnToUser(Cpu cpu, Insn at) {
        int pcid = cpu.activePcid();
        Tlb.Staleness stale = cpu.tlb().staleness(pcid);
        if (stale == null) {
            return Optional.empty();
        }
        Violation v = new Violation(Violation.LOST_FLUSH, message(cpu, pcid, stale), at);
        cpu.addViolation(v);
        return Optional.of(v);
    }

    private String message(Cpu cpu, int pcid, Tlb.Staleness stale) {
        StringBuilder sb = new StringBuilder("returning to user mode with PCID 0x").append(Integer.toHexString(pcid))
            .append(" (CR3 0x").append(Long.toHexString(cpu.cr3())).append(") whose TLB entries are stale: ")
            .append(stale.cause()).append("; ");
        List<Cr3Write> writes = cpu.cr3Log().since(stale.cr3LogThen());
        if (writes.isEmpty()) {
            sb.append("no CR3 write since then");
        } else {
            sb.append("CR3 writes since then: ");
            for (int i = 0; i < writes.size(); i++) {
                Cr3Write w = writes.get(i);
                sb.append(i == 0 ? "" : ", ").append("0x").append(Long.toHexString(w.valueWritten()));
                sb.append(w.noFlush() ? " (no-flush" : " (flush").append(", PCID 0x")
                    .append(Integer.toHexString(w.pcid())).append(')');
                Insn site = siteOf.apply(w);
                if (site != null && site.origin != null) {
                    sb.append(" at ").append(site.origin.pos().fileLine());
                }
            }
            sb.append(" -- none of them flushed PCID 0x").append(Integer.toHexString(pcid));
        }
        return sb.toString();
    }
}
