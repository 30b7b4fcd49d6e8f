package io.entrysim.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The PCID-tagged TLB under MOV to CR3 / CR4 (SDM Vol. 3, 4.10.4.1) and the kernel's invalidation event. */
class TlbTest {
    static final long KERNEL_CR3 = 0x1c0a001L; // kernel PGD, PCID 1
    static final long USER_CR3 = 0x1c0b801L;   // user PGD, PCID 0x801
    static final long NOFLUSH = 1L << 63;

    static Cpu pcidCpu() {
        Cpu cpu = new Cpu();
        cpu.setCr4(Cpu.CR4_PAE | Cpu.CR4_PGE | Cpu.CR4_PCIDE);
        cpu.setCr3(KERNEL_CR3);
        return cpu;
    }

    static Tlb.Staleness why(Cpu cpu) {
        return new Tlb.Staleness("test invalidation", cpu.cr3Log());
    }

    @Test
    void invalidatingTheUserPcidMarksItStaleAndLeavesTheKernelPcidNeedingNothing() {
        Cpu cpu = pcidCpu();
        Tlb t = Tlb.EMPTY.markStale(1, why(cpu)).invalidateUserPcid(1, why(cpu));
        assertEquals(Map.of(1, Tlb.State.FRESH, 0x801, Tlb.State.STALE), t.entries());
        assertEquals("test invalidation", t.staleness(0x801).cause());
        assertNull(t.staleness(1));
        assertEquals("{0x1=fresh, 0x801=stale}", t.toString());
    }

    @Test
    void crWriteWithoutNoFlushFlushesThatPcid() {
        Cpu cpu = pcidCpu();
        cpu.setTlb(cpu.tlb().invalidateUserPcid(1, why(cpu)).markStale(0x802, why(cpu)));
        cpu.writeCr(3, USER_CR3);
        assertEquals(Tlb.State.FRESH, cpu.tlb().state(0x801));
        assertEquals(Tlb.State.STALE, cpu.tlb().state(0x802)); // other PCIDs keep theirs
        assertEquals(0x801, cpu.activePcid());
    }

    @Test
    void crWriteWithNoFlushKeepsStaleEntries() {
        Cpu cpu = pcidCpu();
        cpu.setTlb(cpu.tlb().invalidateUserPcid(1, why(cpu)));
        cpu.writeCr(3, USER_CR3 | NOFLUSH);
        assertEquals(USER_CR3, cpu.cr3());
        assertEquals(Tlb.State.STALE, cpu.tlb().state(0x801));
        // A no-flush load of a PCID holding nothing stale: it now caches fresh entries.
        cpu.writeCr(3, 0x1c0a002L | NOFLUSH);
        assertEquals(Tlb.State.FRESH, cpu.tlb().state(2));
        assertEquals(Tlb.State.EMPTY, cpu.tlb().state(3));
    }

    @Test
    void withoutPcideEveryCr3WriteFlushesPcidZero() {
        Cpu cpu = new Cpu();
        cpu.setCr3(0x1c0a000L);
        cpu.setTlb(Tlb.EMPTY.markStale(0, why(cpu)));
        cpu.writeCr(3, 0x1c0b000L);
        assertEquals(Map.of(0, Tlb.State.FRESH), cpu.tlb().entries());
        assertEquals(0, cpu.activePcid());
    }

    @Test
    void clearingPcideOrTogglingPgeFlushesEverything() {
        Cpu cpu = pcidCpu();
        cpu.setTlb(cpu.tlb().invalidateUserPcid(1, why(cpu)).markStale(5, why(cpu)));
        cpu.writeCr(4, Cpu.CR4_PAE | Cpu.CR4_PGE); // PCIDE 1 -> 0: everything goes, PCID 0 is in use
        assertEquals(Map.of(0, Tlb.State.FRESH), cpu.tlb().entries());
        assertEquals(0, cpu.activePcid());

        Cpu c2 = pcidCpu();
        c2.setTlb(c2.tlb().invalidateUserPcid(1, why(c2)));
        c2.writeCr(4, Cpu.CR4_PAE | Cpu.CR4_PCIDE); // PGE 1 -> 0
        assertEquals(Map.of(1, Tlb.State.FRESH), c2.tlb().entries());

        Cpu c3 = pcidCpu();
        Tlb before = c3.tlb().invalidateUserPcid(1, why(c3));
        c3.setTlb(before);
        c3.writeCr(4, Cpu.CR4_PAE | Cpu.CR4_PGE | Cpu.CR4_PCIDE | Cpu.CR4_SMEP); // neither PGE nor PCIDE changes
        assertSame(before, c3.tlb());
    }

    @Test
    void aFaultingCr3WriteLeavesTheTlbAlone() {
        Cpu cpu = new Cpu(); // PCIDE=0: bit 63 is reserved
        Tlb before = Tlb.EMPTY.markStale(0, why(cpu));
        cpu.setTlb(before);
        CpuFault f = org.junit.jupiter.api.Assertions.assertThrows(CpuFault.class, () -> cpu.writeCr(3, NOFLUSH | 0x1000));
        assertEquals("#GP", f.vector());
        assertSame(before, cpu.tlb());
    }

    @Test
    void snapshotsCoverTheTlbAndTheViolationLog() {
        Cpu cpu = pcidCpu();
        cpu.setTlb(cpu.tlb().invalidateUserPcid(1, why(cpu)));
        RuleViolation first = entry("a");
        cpu.addViolation(first);
        CpuSnapshot s = cpu.snapshot();
        for (int round = 0; round < 2; round++) {
            cpu.writeCr(3, USER_CR3);
            cpu.addViolation(entry("b"));
            assertEquals(Tlb.State.FRESH, cpu.tlb().state(0x801));
            assertEquals(2, cpu.violationLog().size());
            cpu.restore(s);
            assertEquals(Tlb.State.STALE, cpu.tlb().state(0x801));
            assertEquals(List.of(first), cpu.violationLog().toList());
        }
    }

    @Test
    void violationLogSinceFindsTheEntriesAfterTheCommonState() {
        PersistentLog<RuleViolation> base = PersistentLog.<RuleViolation>empty().append(entry("a"));
        PersistentLog<RuleViolation> one = base.append(entry("b"));
        PersistentLog<RuleViolation> other = base.append(entry("c")).append(entry("d"));
        assertEquals(List.of("b"), kinds(one.since(base)));
        assertEquals(List.of("c", "d"), kinds(other.since(one)));
        assertEquals(List.of(), kinds(base.since(other)));
        assertEquals(List.of("a", "b"), kinds(one.toList()));
    }

    private static List<String> kinds(List<RuleViolation> entries) {
        return entries.stream().map(RuleViolation::kind).toList();
    }

    private static RuleViolation entry(String kind) {
        return new RuleViolation() {
            @Override
            public String kind() {
                return kind;
            }

            @Override
            public String message() {
                return kind + "!";
            }
        };
    }
}
