package io.entrysim.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Region lookup per PGD half and the #PF error codes (SDM Vol. 3, 4.7). */
class AddressSpaceTest {
    static final long PERCPU = 0xffff88807fc00000L;
    static final long KTEXT = 0xffffffff81000000L;
    static final long USER = 0x400000L;

    static Cpu cpu() {
        Cpu cpu = new Cpu();
        cpu.setCr4(Cpu.CR4_PAE | Cpu.CR4_SMEP | Cpu.CR4_SMAP);
        AddressSpace.install(cpu, List.of(
            new Region("percpu", PERCPU, 0x10000, false, true, false, true, false),
            new Region("flag", PERCPU + 0x1108, 8, true, true, false, true, false),
            new Region("ktext", KTEXT, 0x1000, false, true, true, false, false),
            new Region("ktext2", KTEXT + 0x1000, 0x1000, false, true, true, false, false),
            new Region("user", USER, 0x1000, true, true, true, true, true)));
        return cpu;
    }

    static CpuFault fault(Runnable r) {
        return assertThrows(CpuFault.class, r::run);
    }

    @Test
    void aUserMappedVariableInsideAKernelOnlyArea() {
        Cpu cpu = cpu();
        cpu.setCr3(0x1000); // user half
        cpu.memory().write(PERCPU + 0x1108, 8, 5);
        CpuFault f = fault(() -> cpu.memory().read(PERCPU + 0x1100, 8));
        assertEquals(0, f.errorCode());
        assertEquals(PERCPU + 0x1100, f.address().getAsLong());
        assertEquals(0x1000, f.cr3().getAsLong());
        // Crossing from the variable into unmapped bytes faults at the first unmapped byte.
        CpuFault crossing = fault(() -> cpu.memory().read(PERCPU + 0x110c, 8));
        assertEquals(PERCPU + 0x1110, crossing.address().getAsLong());
        cpu.setCr3(0);
        assertEquals(5, cpu.memory().read(PERCPU + 0x1108, 8));
        cpu.memory().read(PERCPU + 0x1104, 8); // kernel half: area then variable, both mapped
    }

    @Test
    void errorCodesForProtectionFaults() {
        Cpu cpu = cpu();
        assertEquals(CpuFault.PF_PRESENT | CpuFault.PF_WRITE,
            fault(() -> cpu.memory().write(KTEXT, 8, 0)).errorCode()); // read-only text
        assertEquals(CpuFault.PF_PRESENT | CpuFault.PF_FETCH,
            fault(() -> cpu.memory().checkFetch(PERCPU, 4)).errorCode()); // NX data
        assertEquals(CpuFault.PF_PRESENT | CpuFault.PF_FETCH,
            fault(() -> cpu.memory().checkFetch(USER, 4)).errorCode()); // SMEP
        assertEquals(CpuFault.PF_PRESENT,
            fault(() -> cpu.memory().read(USER, 8)).errorCode()); // SMAP
        cpu.setRflags(Flags.AC);
        cpu.memory().read(USER, 8); // stac: allowed
        cpu.memory().checkFetch(KTEXT + 0xffc, 8); // crossing two executable regions
        cpu.setCs(Cpu.USER_CS);
        assertEquals(CpuFault.PF_PRESENT | CpuFault.PF_USER | CpuFault.PF_WRITE,
            fault(() -> cpu.memory().write(PERCPU, 8, 0)).errorCode()); // supervisor page at CPL 3
        assertEquals(CpuFault.PF_USER | CpuFault.PF_FETCH,
            fault(() -> cpu.memory().checkFetch(0x500000, 4)).errorCode()); // not mapped
        cpu.memory().checkFetch(USER, 4);
        cpu.memory().write(USER, 8, 1);
    }

    @Test
    void nonCanonicalIsGeneralProtection() {
        Cpu cpu = cpu();
        CpuFault f = fault(() -> cpu.memory().read(0x0000_8000_0000_0000L, 8));
        assertEquals("#GP", f.vector());
        assertEquals(0, f.errorCode());
        CpuFault end = fault(() -> cpu.memory().read(0x0000_7fff_ffff_fffcL, 8)); // last byte non-canonical
        assertEquals("reference to non-canonical address 0x800000000003 (bits 63:47 must all equal bit 47)", end.detail());
    }

    @Test
    void canonicalForm() {
        assertEquals(true, Canonical.isCanonical(0x0000_7fff_ffff_ffffL));
        assertEquals(false, Canonical.isCanonical(0x0000_8000_0000_0000L));
        assertEquals(false, Canonical.isCanonical(0xffff_7fff_ffff_ffffL));
        assertEquals(true, Canonical.isCanonical(0xffff_8000_0000_0000L));
        assertEquals("#SS", Canonical.nonCanonical(0x0000_8000_0000_0000L, 8, true).vector());
    }

    /**
     * A demand page is mapped by its region but not present until the kernel maps it: #PF with
     * P=0 (and W/R, U/S as the access was), then accessible; its present bit is memory, so a
     * restore of an earlier snapshot makes it not present again.
     */
    @Test
    void aDemandPageIsNotPresentUntilMapped() {
        Cpu cpu = new Cpu();
        AddressSpace space = AddressSpace.install(cpu, List.of(
            new Region("user", USER, 0x3000, true, true, false, true, true)));
        space.setDemandPages(USER + 0x1000, 1, 0x1c0c000L);
        cpu.setCs(0x33);
        Memory.Snapshot before = cpu.memory().snapshot();
        cpu.memory().write(USER + 0xff8, 8, 1); // the page below is present
        CpuFault write = fault(() -> cpu.memory().write(USER + 0x1008, 8, 7));
        assertEquals(CpuFault.PF_WRITE | CpuFault.PF_USER, write.errorCode());
        assertEquals(USER + 0x1008, write.address().getAsLong());
        // an access that crosses into it faults at its first byte
        assertEquals(USER + 0x1000, fault(() -> cpu.memory().read(USER + 0xffc, 8)).address().getAsLong());
        assertEquals(false, space.mapDemandPage(USER + 0x2000));
        assertEquals(true, space.mapDemandPage(USER + 0x1008));
        cpu.memory().write(USER + 0x1008, 8, 7);
        assertEquals(7, cpu.memory().read(USER + 0x1008, 8));
        cpu.memory().restore(before);
        assertEquals(true, space.notPresent(USER + 0x1000));
        fault(() -> cpu.memory().read(USER + 0x1000, 1));
        // a fetch from it: after a restore makes it not present again, the fetch faults again
        Region exec = new Region("user", USER, 0x3000, true, true, true, true, true);
        Cpu c2 = new Cpu();
        AddressSpace s2 = AddressSpace.install(c2, List.of(exec));
        s2.setDemandPages(USER + 0x1000, 1, 0x1c0c000L);
        Memory.Snapshot clean = c2.memory().snapshot();
        s2.mapDemandPage(USER + 0x1000);
        c2.memory().checkFetch(USER + 0x1010, 4);
        c2.memory().restore(clean);
        assertEquals(CpuFault.PF_FETCH, fault(() -> c2.memory().checkFetch(USER + 0x1010, 4)).errorCode());
    }

    /** A fetch that passed is remembered with its span and state: any change of state checks again. */
    @Test
    void aFetchThatPassedIsCheckedAgainWhenTheViewCplOrCr4Changes() {
        Cpu cpu = cpu();
        cpu.setCr4(Cpu.CR4_PAE);
        cpu.memory().checkFetch(USER + 0x10, 4); // no SMEP: a user page runs at CPL 0
        cpu.memory().checkFetch(USER + 0x20, 4);
        cpu.setCr4(Cpu.CR4_PAE | Cpu.CR4_SMEP);
        assertEquals(CpuFault.PF_PRESENT | CpuFault.PF_FETCH,
            fault(() -> cpu.memory().checkFetch(USER + 0x20, 4)).errorCode());
        cpu.memory().checkFetch(KTEXT + 0x10, 4);
        cpu.setCs(Cpu.USER_CS);
        assertEquals(CpuFault.PF_PRESENT | CpuFault.PF_USER | CpuFault.PF_FETCH,
            fault(() -> cpu.memory().checkFetch(KTEXT + 0x10, 4)).errorCode()); // supervisor text at CPL 3
        cpu.setCs(Cpu.KERNEL_CS);
        cpu.memory().checkFetch(KTEXT + 0x10, 4);
        cpu.setCr3(0x1000); // user half: kernel text is not mapped there
        assertEquals(CpuFault.PF_FETCH, fault(() -> cpu.memory().checkFetch(KTEXT + 0x10, 4)).errorCode());
        cpu.setCr3(0);
        cpu.memory().checkFetch(KTEXT + 0x10, 4);
        cpu.memory().checkFetch(KTEXT + 0x1f00, 4);
        CpuFault past = fault(() -> cpu.memory().checkFetch(KTEXT + 0x1ffe, 4)); // runs past the span
        assertEquals(KTEXT + 0x2000, past.address().getAsLong());
        assertEquals(CpuFault.PF_FETCH, past.errorCode());
    }
}
