package io.entrysim.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.cpu.AddressSpace;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.CpuFault;
import io.entrysim.cpu.Reg;
import io.entrysim.exec.Executor;
import io.entrysim.exec.RunResult;
import io.entrysim.exec.StopReason;
import io.entrysim.session.Build;
import io.entrysim.session.BuildOptions;
import io.entrysim.session.MachineSetup;
import io.entrysim.session.Toolchain;
import io.entrysim.source.SourceFile;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The built-in PTI machine running real programs: which accesses each half of the PGD pair allows. */
class PtiMachineTest {
    static final long KERNEL_CR3 = 0x1c0a000L;
    static final long USER_CR3 = 0x1c0b000L;

    record PtiRun(Build build, Cpu cpu, AddressSpace space) {
        RunResult run() {
            return new Executor(build.program(), cpu).run(0, 1000);
        }

        long symbol(String name) {
            return build.program().symbols().get(name);
        }
    }

    static PtiRun pti(String source) {
        Build build = Toolchain.build(new SourceFile("t.S", source), BuildOptions.defaults());
        Cpu cpu = MachineSetup.newCpu(build);
        AddressSpace space = MachineLayout.pti().install(cpu, build.program());
        return new PtiRun(build, cpu, space);
    }

    static final String TO_USER_CR3 = """
            movq %cr3, %rax
            orq $0x1000, %rax
            movq %rax, %cr3
        """;

    @Test
    void pushOnTheKernelStackAfterSwitchingToTheUserCr3Faults() {
        PtiRun m = pti("""
            .section .entry.text, "ax"
            entry:
            """ + TO_USER_CR3 + """
            after_switch:
                pushq %rbx
                hlt
            """);
        RunResult r = m.run();
        assertEquals(StopReason.FAULT, r.stop());
        CpuFault f = r.fault();
        assertEquals("#PF", f.vector());
        assertEquals(CpuFault.PF_WRITE, f.errorCode()); // not present, write, supervisor, data
        long addr = MachineDefaults.STACK_TOP - 8;
        assertEquals(addr, f.address().getAsLong());
        assertEquals(addr, m.cpu().cr2());
        assertEquals(USER_CR3, f.cr3().getAsLong());
        assertEquals("t.S:7", r.faultingInsn().origin.pos().fileLine());
        assertEquals(m.symbol("after_switch"), m.cpu().rip());
        assertEquals(MachineDefaults.STACK_TOP, m.cpu().reg(Reg.RSP)); // not committed
        assertEquals("write to 0xffffc90000003ff8: not mapped in the user page tables"
            + " (kernel_stack is mapped only in the kernel page tables)", f.detail());
    }

    @Test
    void thePushBeforeTheSwitchRunsClean() {
        PtiRun m = pti("""
            .section .entry.text, "ax"
                pushq %rbx
            """ + TO_USER_CR3 + """
                hlt
            """);
        RunResult r = m.run();
        assertEquals(StopReason.HLT, r.stop(), r::toString);
        assertEquals(USER_CR3, m.cpu().cr3());
        assertEquals(MachineDefaults.STACK_TOP - 8, m.cpu().reg(Reg.RSP));
    }

    @Test
    void kernelTextCannotBeFetchedUnderTheUserCr3ButEntryTextCan() {
        PtiRun m = pti("""
            .text
            """ + TO_USER_CR3 + """
            in_kernel_text:
                hlt
            """);
        RunResult r = m.run();
        assertEquals(StopReason.FAULT, r.stop());
        long at = m.symbol("in_kernel_text");
        assertEquals(0xffffffff8100000cL, at);
        assertEquals("#PF", r.fault().vector());
        assertEquals(CpuFault.PF_FETCH, r.fault().errorCode());
        assertEquals(at, r.fault().address().getAsLong());
        assertEquals(USER_CR3, r.fault().cr3().getAsLong());
        assertEquals(3, r.steps());

        PtiRun e = pti("""
            .text
                jmp entry
            .section .entry.text, "ax"
            entry:
            """ + TO_USER_CR3 + """
            in_entry_text:
                hlt
            """);
        RunResult ok = e.run();
        assertEquals(StopReason.HLT, ok.stop(), ok::toString);
        assertEquals(0xffffffff81100000L, e.symbol("entry")); // the second code section
        assertEquals(e.symbol("in_entry_text") + 1, e.cpu().rip(), "after the 1-byte hlt");
    }

    @Test
    void theRegionsOfTheBuiltInMachine() {
        PtiRun m = pti("""
            .text
                nop
            .section .entry.text, "ax"
                nop
            .data
                .quad 1
            """);
        AddressSpace s = m.space();
        assertEquals("kernel_stack", s.lookup(MachineDefaults.STACK_TOP - 1, false).name());
        assertNull(s.lookup(MachineDefaults.STACK_TOP - 1, true));
        assertEquals(".text", s.lookup(0xffffffff81000000L, false).name());
        assertNull(s.lookup(0xffffffff81000000L, true));
        assertEquals(".entry.text", s.lookup(0xffffffff81100000L, true).name());
        assertEquals(".data", s.lookup(0xffffffff82000000L, false).name());
        assertNull(s.lookup(0xffffffff82000000L, true));
        assertEquals("entry_stack", s.lookup(0xfffffe0000002000L, true).name());
        assertEquals("exception_stacks", s.lookup(0xfffffe0000007fffL, true).name());
        assertEquals("user_text", s.lookup(0x400000, true).name());
        assertEquals("user_text_nx", s.lookup(0x400000, false).name());
        assertNull(s.lookup(MachineDefaults.PERCPU_BASE, true));
        assertEquals("percpu", s.lookup(MachineDefaults.PERCPU_BASE, false).name());
    }

    @Test
    void theEntryStackIsUsableUnderBothCr3s() {
        MachineLayout pti = MachineLayout.pti();
        PtiRun m = pti("""
            .section .entry.text, "ax"
                pushq %rbx
            """ + TO_USER_CR3 + """
                popq %rbx
                pushq $7
                hlt
            """);
        m.cpu().setReg(Reg.RSP, pti.symbols().get("entry_stack_top"));
        RunResult r = m.run();
        assertEquals(StopReason.HLT, r.stop(), r::toString);
        assertEquals(7, m.cpu().memory().peek(0xfffffe0000002200L - 8, 8));
    }

    @Test
    void nonCanonicalDataIsGeneralProtectionAndStackIsStackFault() {
        PtiRun m = pti("""
            .section .entry.text, "ax"
                movabsq $0x0000800000000000, %rbx
                movq (%rbx), %rax
            """);
        RunResult r = m.run();
        assertEquals("#GP", r.fault().vector());
        assertEquals(0, r.fault().errorCode());
        assertTrue(r.fault().address().isEmpty());
        assertEquals(KERNEL_CR3, r.fault().cr3().getAsLong());
        assertEquals("reference to non-canonical address 0x800000000000 (bits 63:47 must all equal bit 47)",
            r.fault().detail());

        PtiRun s = pti("""
            .section .entry.text, "ax"
                movabsq $0x0000800000000008, %rsp
                pushq %rax
            """);
        RunResult rs = s.run();
        assertEquals("#SS", rs.fault().vector());
        assertEquals(CpuFault.SS, rs.fault().vectorNumber());
        assertEquals(0, rs.fault().errorCode());

        PtiRun b = pti("""
            .section .entry.text, "ax"
                movabsq $0xffff000000000000, %rbp
                movq 8(%rbp), %rax
            """);
        assertEquals("#SS", b.run().fault().vector());
    }

    @Test
    void theFlatMachineInstallsNoCheck() {
        Build build = Toolchain.build(new SourceFile("t.S", "nop\n"), BuildOptions.defaults());
        Cpu cpu = MachineSetup.newCpu(build);
        assertNull(MachineLayout.flat().install(cpu, build.program()));
        assertNull(cpu.memory().accessChecker());
        assertEquals(List.of(), MachineLayout.flat().unresolvedPerCpu(build.program()));
        assertEquals(Set.of("kernel_stack_top", "percpu_base"), MachineLayout.flat().symbols().keySet());
    }
}
