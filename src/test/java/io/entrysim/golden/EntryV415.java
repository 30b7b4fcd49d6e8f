package io.entrysim.golden;

import java.util.function.Consumer;
import io.entrysim.exec.ExecOptions;
import io.entrysim.session.RunSpec;
import io.entrysim.session.Machine;
import io.entrysim.assemble.Program;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Msr;
import io.entrysim.cpu.Reg;
import io.entrysim.kernel.MachineLayout;
import io.entrysim.kernel.PerCpuLayout;
import io.entrysim.session.Build;
import io.entrysim.session.BuildOptions;
import io.entrysim.session.Toolchain;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Linux v4.15 {@code arch/x86/entry/entry_64.S}, rebuilt from the corpus excerpt at its original
 * line numbers and assembled unchanged with the real v4.15 {@code calling.h}, plus our own
 * prelude and wrapper (test resources {@code entry-v4.15/}: the macros the excerpt leaves out, an
 * IRQ vector stub, a stand-in task, user code). Configuration: {@code CONFIG_PAGE_TABLE_ISOLATION},
 * {@code CONFIG_X86_ESPFIX64} (x86-64 default), v4.15's asm-offsets where they differ from the
 * shims ({@code TLB_STATE_user_pcid_flush_mask} 14, {@code SIZEOF_entry_stack} 512); no
 * CONFIG_RETPOLINE, CONFIG_PREEMPT, CONFIG_DEBUG_ENTRY or CONFIG_CONTEXT_TRACKING.
 *
 * <p>The machine is the built-in {@code pti} one with two additions: the wrapper's
 * {@code .user.text} is placed at {@code user_text} (0x400000, real user addresses), and the IDT
 * has v4.15's NMI gate (vector 2 -> {@code nmi} on IST 2, NMI_STACK) and vector 0x20 -> the
 * wrapper's stub into {@code common_interrupt}.
 *
 * <p>{@link #userMachine} starts a CPU at CPL 3 as v4.15 leaves it for a task: user CR3 (PGD bit 12, user
 * PCID bit 11 with PCID), user GS base with the per-CPU base in KERNEL_GS_BASE, LSTAR at the
 * cpu_entry_area trampoline, SYSCALL_MASK as v4.15's syscall_init() sets it.
 */
final class EntryV415 {
    static final String EXCERPT = "entry_64-v4.15.S";

    // Addresses, all from the pti machine description (docs/machine-description.md).
    static final long KERNEL_PGD = 0x1c0a000L;
    static final long USER_PGD_BIT = 0x1000L;      // PTI_USER_PGTABLE_MASK
    static final long USER_PCID_BIT = 0x800L;      // PTI_USER_PCID_MASK
    static final long NOFLUSH = 1L << 63;
    static final long KERNEL_PCID = 1;             // kern_pcid(asid 0)
    static final long PERCPU = 0xffff88807fc00000L;
    static final long KERNEL_STACK_TOP = 0xffffc90000004000L;
    static final long ENTRY_STACK = 0xfffffe0000002000L;
    static final long ENTRY_STACK_TOP = ENTRY_STACK + 0x200;   // TSS.sp0, 64 words
    static final long CEA_TSS = 0xfffffe0000003000L;           // what TR points at (read-only alias)
    static final long NMI_IST_TOP = 0xfffffe0000009000L;        // TSS.ist[1] (IST 2)
    static final long USER_TEXT = 0x400000L;
    static final long USER_STACK_TOP = 0x7ffffffff000L;

    // v4.15 values the tests rely on.
    static final long SYSCALL_MASK_V415 = 0x47700L;  // TF DF IF IOPL AC NT
    static final long FLUSH_MASK = PERCPU + PerCpuLayout.known().get("cpu_tlbstate") + 14;
    static final long PTREGS_SIZE = 21 * 8;

    // The user task's state before it enters the kernel (arbitrary but distinctive values).
    static final long USER_RSP = USER_STACK_TOP - 0x1000;
    static final long USER_RETURN = USER_TEXT + 0x8000;       // what the final user `ret` pops
    static final long USER_GS = 0x7f12_3456_0000L;            // a user TLS-like GS base
    static final long USER_RFLAGS = 0x246;                    // IF ZF PF
    static final long IRQ_STACK_PTR = PERCPU + 0x8000 - 64;   // this CPU's IRQ stack (kernel-only)

    /** User registers at the start, by {@link Reg} number: RAX = 39 (__NR_getpid), args in RDI.. R9. */
    static final long[] USER_GPRS = {
        39, 0x7777, 0x3333, 0xb0b0, USER_RSP, 0xbbbb, 0x2222, 0x1111,   // rax rcx rdx rbx rsp rbp rsi rdi
        0x5555, 0x6666, 0x4444, 0x8888, 0xc12, 0xc13, 0xc14, 0xc15};    // r8 .. r15

    static final Map<String, String> DEFINES = Map.of(
            "CONFIG_PAGE_TABLE_ISOLATION", "1",
            "CONFIG_X86_ESPFIX64", "1",
            "TLB_STATE_user_pcid_flush_mask", "14",
            "SIZEOF_entry_stack", "512");

    private static Path dir;
    private static final Map<Set<String>, Build> BUILDS = new ConcurrentHashMap<>();

    private EntryV415() {}

    /** The kernel-half CR3 for this feature set (kernel PCID only with PCID). */
    static long kernelCr3(boolean pcid) {
        return KERNEL_PGD | (pcid ? KERNEL_PCID : 0);
    }

    /** The user-half CR3 as v4.15's SWITCH_TO_USER_CR3 builds it. */
    static long userCr3(boolean pcid) {
        return KERNEL_PGD | USER_PGD_BIT | (pcid ? KERNEL_PCID | USER_PCID_BIT : 0);
    }

    /** entry_64.S, calling.h, prelude.h and entry-test.S in one directory; skips when the corpus is absent. */
    static synchronized Path sourceDir() {
        Path excerpt = CorpusRun.corpus().resolve(EXCERPT).toAbsolutePath();
        Path calling = CorpusRun.corpus().resolve("calling-v4.15.h").toAbsolutePath();
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(excerpt) && Files.isRegularFile(calling),
                EXCERPT + " or calling-v4.15.h is absent: skipped");
        if (dir == null) {
            try {
                Path d = Files.createTempDirectory("entrysim-entry-v4.15");
                Files.writeString(d.resolve("entry_64.S"), Excerpts.reassemble(excerpt));
                Files.createSymbolicLink(d.resolve("calling.h"), calling);
                for (String name : List.of("prelude.h", "entry-test.S")) {
                    try (InputStream in = EntryV415.class.getResourceAsStream("entry-v4.15/" + name)) {
                        Files.writeString(d.resolve(name), new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    }
                }
                for (String name : List.of("entry_64.S", "calling.h", "prelude.h", "entry-test.S")) {
                    d.resolve(name).toFile().deleteOnExit();
                }
                d.toFile().deleteOnExit();
                dir = d;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dir;
    }

    /** The built program for these CPU features (cached: a build is reused by every run). */
    static Build build(String... features) {
        Set<String> key = new TreeSet<>(List.of(features));
        Path d = sourceDir();
        return BUILDS.computeIfAbsent(key, f -> Toolchain.build(d.resolve("entry-test.S"),
                new BuildOptions(List.of(d), DEFINES, Set.of(), f, Map.of(), true, true, machine())));
    }

    static boolean pcid(Build b) {
        return b.options().features().contains("PCID");
    }

    /** The built-in pti machine, with user code at user_text and v4.15's NMI gate plus one IRQ gate. */
    static MachineLayout machine() {
        MachineLayout pti = MachineLayout.pti();
        Map<String, Long> placements = new LinkedHashMap<>(pti.placements());
        placements.put(".user.text", pti.symbols().get("user_text"));
        List<MachineLayout.IdtEntry> idt = new ArrayList<>(pti.idt());
        idt.add(new MachineLayout.IdtEntry(2, "nmi", 2));
        idt.add(new MachineLayout.IdtEntry(0x20, "entrysim_irq_0x20", 0));
        return new MachineLayout(pti.name(), pti.flatMemory(), pti.regions(), pti.sections(), pti.userMappedPerCpu(),
                pti.symbols(), placements, pti.aliases(), pti.tss(), idt);
    }

    static long symbol(Build b, String name) {
        Long v = b.program().symbols().get(name);
        if (v == null) {
            throw new AssertionError("no symbol " + name);
        }
        return v;
    }

    static int indexOf(Build b, String label) {
        Program p = b.program();
        return p.indexOf(symbol(b, label));
    }

    static long perCpu(String name) {
        return PERCPU + PerCpuLayout.known().get(name);
    }

    /**
     * The machine as a v4.15 task in user mode sees it, about to run {@code user_*} code: CPL 3,
     * user CR3, user GS, the {@link #USER_GPRS}, RSP at {@link #USER_RSP} with
     * {@link #USER_RETURN} on top (the user code's final {@code ret} ends the run there).
     */
    /** How every v4.15 entry run goes: C calls clobber what C may clobber; 10,000 steps at most. */
    static final RunSpec SPEC = RunSpec.defaults().withMaxSteps(10_000)
            .withExec(ExecOptions.DEFAULT.withStubCalls(ExecOptions.StubCalls.CLOBBER));

    /** A machine in the user-mode state ({@link #userState}) about to run {@code entry}, after {@code setup}. */
    static Machine userMachine(Build b, String entry, Consumer<Cpu> setup) {
        return Machine.create(b, SPEC.withEntry(entry), cpu -> {
            userState(b, cpu);
            setup.accept(cpu);
        });
    }

    /** Puts {@code cpu} in the user-mode state described above. */
    static void userState(Build b, Cpu cpu) {
        boolean pcid = pcid(b);
        // per-CPU state the kernel would have set up
        cpu.memory().poke(perCpu("current_task"), 8, symbol(b, "entrysim_task"));
        cpu.memory().poke(perCpu("irq_count"), 4, 0xffffffffL);
        cpu.memory().poke(perCpu("irq_stack_ptr"), 8, IRQ_STACK_PTR);
        // syscall_init(): STAR is the CPU model's Linux default; LSTAR is the trampoline under PTI
        cpu.setMsr(Msr.LSTAR, symbol(b, "entry_SYSCALL_64_trampoline"));
        cpu.setMsr(Msr.FMASK, SYSCALL_MASK_V415);
        cpu.setKernelGsBase(PERCPU);
        cpu.setGsBase(USER_GS);
        cpu.setCs(Cpu.USER_CS);
        cpu.setSs(Cpu.USER_SS);
        cpu.setCr3(userCr3(pcid));
        cpu.setRflags(USER_RFLAGS);
        for (int r = 0; r < Reg.COUNT; r++) {
            cpu.setReg(r, USER_GPRS[r]);
        }
        cpu.memory().poke(USER_RSP, 8, USER_RETURN);
    }
}
