package io.entrysim.exec;

import io.entrysim.cpu.PersistentLog;
import io.entrysim.cpu.RecentAppends;
import io.entrysim.assemble.Insn;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Cr3Write;

/**
 * What the executor checks after an instruction that wrote CR3 or changed privilege, beyond
 * the SDM's faults: PCID bits written while CR4.PCIDE=0, and a return to user mode with a stale
 * user PCID ({@link LostFlushChecker}). It also remembers which instruction made each CR3 write
 * of the run (a {@link PersistentLog}, part of the executor's state). The executor calls
 * {@link #afterCommit} only when CR3's log or the CPL changed, so the per-step cost is two
 * comparisons.
 */
final class MachineChecks {
    /** CR3 bits 11:0 that mean something with CR4.PCIDE=0: PWT (3) and PCD (4). */
    static final long CR3_PAGE_ATTRIBUTE_BITS = 0x18;

    private final Cpu cpu;
    /** The CR3 writes of this run and their instructions. */
    PersistentLog<Cr3WriteSite> sites = PersistentLog.empty();
    private final RecentAppends<Cr3WriteSite> recentSites = new RecentAppends<>();
    final LostFlushChecker lostFlush;

    MachineChecks(Cpu cpu) {
        this.cpu = cpu;
        this.lostFlush = new LostFlushChecker(this::siteOf);
    }

    /** The instruction of this run that made {@code write} (by identity), or null. */
    Insn siteOf(Cr3Write write) {
        for (PersistentLog<Cr3WriteSite> s = sites; s.size() > 0; s = s.before()) {
            if (s.last().write() == write) {
                return s.last().insn();
            }
        }
        return null;
    }

    void afterCommit(Insn insn, PersistentLog<Cr3Write> cr3Before, int cplBefore) {
        PersistentLog<Cr3Write> now = cpu.cr3Log();
        if (now != cr3Before) {
            if (now.before() == cr3Before) { // one write, the usual case: no list
                cr3Written(now.last(), insn);
            } else {
                for (Cr3Write w : now.since(cr3Before)) {
                    cr3Written(w, insn);
                }
            }
        }
        if (cpu.cpl() == 3 && cplBefore != 3) {
            lostFlush.onReturnToUser(cpu, insn);
        }
    }

    private void cr3Written(Cr3Write w, Insn insn) {
        sites = appendSite(w, insn);
        pcidBitsWithoutPcid(w, insn);
    }

    /** The sites with this one appended (the log a previous run made, when it made the same one). */
    private PersistentLog<Cr3WriteSite> appendSite(Cr3Write w, Insn insn) {
        for (int i = recentSites.find(sites, 0); i >= 0; i = recentSites.find(sites, i + 1)) {
            PersistentLog<Cr3WriteSite> made = recentSites.made(i);
            if (made.last().write() == w && made.last().insn() == insn) {
                return made;
            }
        }
        PersistentLog<Cr3WriteSite> made = sites.append(new Cr3WriteSite(w, insn));
        recentSites.remember(sites, made);
        return made;
    }

    /** The seed-era !PCID bug: ORing the user PCID bit (11) into CR3 on a CPU without PCIDE. */
    private void pcidBitsWithoutPcid(Cr3Write w, Insn insn) {
        if ((cpu.cr4() & Cpu.CR4_PCIDE) != 0) {
            return;
        }
        long bits = w.valueWritten() & Cpu.CR3_PCID_MASK & ~CR3_PAGE_ATTRIBUTE_BITS;
        if (bits != 0) {
            cpu.addViolation(new Violation(Violation.PCID_BITS_WITHOUT_PCID, "mov to %cr3 of 0x"
                + Long.toHexString(w.valueWritten()) + " sets CR3[11:0] bits 0x" + Long.toHexString(bits)
                + " while CR4.PCIDE=0: the CPU ignores them (no PCID is selected; bits 3 and 4 are PWT/PCD),"
                + " so code that means to select a PCID is running on a CPU without PCID enabled", insn));
        }
    }
}
