package io.entrysim.scenario;

import io.entrysim.assemble.Insn;
import io.entrysim.assemble.Op;
import io.entrysim.cpu.AddressSpace;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Flags;
import io.entrysim.cpu.Reg;
import io.entrysim.cpu.Vectors;
import io.entrysim.diag.AsmError;
import io.entrysim.exec.ExecOptions;
import io.entrysim.exec.StopReason;
import io.entrysim.kernel.KernelTree;
import io.entrysim.kernel.MachineLayout;
import io.entrysim.session.Build;
import io.entrysim.session.BuildOptions;
import io.entrysim.session.Machine;
import io.entrysim.session.RunOutcome;
import io.entrysim.session.RunSpec;
import io.entrysim.session.Toolchain;
import io.entrysim.session.Until;
import io.entrysim.session.UserExpressions;
import io.entrysim.source.SourceFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A built-in entry scenario ({@code --scenario NAME} with {@code --kernel-tree}): the tree's own
 * {@code entry_64.S} assembled with a user-side driver entrysim writes, a machine set up as that
 * kernel leaves it for a user task, one real entry path run end to end, and named checks of the
 * state it returns to. The names are a stable interface.
 *
 * <p>The machine is the {@code pti} one (with PTI in {@code --feature}) or its single-table view
 * (without: one page table maps user and kernel, as a kernel without PTI has it), with the user
 * driver at {@code user_text}. What differs by era is found in the program, not in a version
 * table: a SYSCALL trampoline ({@code entry_SYSCALL_64_trampoline}, 4.15 to 4.18) is what LSTAR
 * points at under PTI; without one, the SYSCALL entry spills RSP into the TSS's {@code sp2}
 * through the per-CPU {@code cpu_tss_rw} under the user CR3, so that page is mapped in the user
 * page tables as {@code pti_clone_user_shared()} maps it. The task's kernel stack top and
 * {@code current} are set wherever the era keeps them ({@code pcpu_hot} in 6.x,
 * {@code cpu_current_top_of_stack}/{@code current_task} before); {@code current} is a zeroed
 * stand-in task (no TIF work flags). C functions are stubs that clobber what C may clobber;
 * SYSCALL_MASK is v4.15's.
 */
public final class EntryScenario {
    /** Every scenario name, in the order (a stable interface). */
    public static final List<String> NAMES = List.of("syscall", "syscall-iret", "compat-syscall", "compat-sysenter",
            "compat-int80", "irq-user", "irq-kernel", "pf-user", "pf-kernel", "nmi-user", "nmi-kernel", "db-kernel");
    /** Linux's __USER32_CS: the 32-bit user code segment (STAR[63:48] | 3). */
    static final int USER32_CS = 0x23;

    static final String USER_ENTRY = "entrysim_user_code";

    /** Where the driver's data goes: in user_text's megabyte, clear of the code and a 32-bit user's stack. */
    static final long USER_DATA_OFFSET = 0xc0000;
    static final long SYSCALL_MASK = 0x47700L;       // TF DF IF IOPL AC NT, as v4.15's syscall_init()
    static final long USER_RFLAGS = 0x246L;          // IF ZF PF
    static final long USER_GS = 0x7f12_3456_0000L;
    /** Distinctive register values (by Reg number); RAX is __NR_getpid. */
    static final long[] USER_GPRS = {
        39, 0x7777, 0x3333, 0xb0b0, 0, 0xbbbb, 0x2222, 0x1111,
        0x5555, 0x6666, 0x4444, 0x8888, 0xc12, 0xc13, 0xc14, 0xc15};

    private final String name;
    private final KernelTree tree;
    private final Build build;
    private final RunSpec spec;
    private final boolean pti;
    private final boolean pcid;
    private final ScenarioRoute route;
    /** C function -> stand-in model, where not the default. */
    private final Map<String, String> standIns;
    private final Map<String, String> driverSources;

    private EntryScenario(String name, KernelTree tree, Build build, RunSpec spec, boolean pti, boolean pcid, ScenarioRoute route,
                          Map<String, String> standIns, List<SourceFile> units) {
        this.name = name;
        this.tree = tree;
        this.build = build;
        this.spec = spec;
        this.pti = pti;
        this.pcid = pcid;
        this.route = route;
        this.standIns = standIns;
        Map<String, String> texts = new LinkedHashMap<>();
        for (SourceFile unit : units) {
            texts.put(unit.displayPath(), unit.text());
        }
        this.driverSources = Map.copyOf(texts);
    }

    public String name() {
        return name;
    }

    public Build build() {
        return build;
    }

    public RunSpec spec() {
        return spec;
    }

    /** The sources entrysim wrote (the driver, the compat unit's include), by name: no file holds them. */
    public Map<String, String> driverSources() {
        return driverSources;
    }

    /** The kernel version the scenario runs ({@code 6.6.87}). */
    public String kernel() {
        return tree.version();
    }

    /**
     * Builds scenario {@code name} for {@code options} (which must name a kernel tree); {@code
     * user} is the run as the command line gave it (step limit, NMIs, stub policy are kept).
     */
    public static EntryScenario prepare(String name, BuildOptions options, RunSpec user) {
        return prepare(name, options, user, Map.of());
    }

    /**
     * The same, with the C stand-ins {@code standIns} chooses ({@code --stand-in NAME=MODEL}:
     * function -> model); the rest keep the scenario's.
     */
    public static EntryScenario prepare(String name, BuildOptions options, RunSpec user, Map<String, String> standIns) {
        if (!NAMES.contains(name)) {
            throw new AsmError(null, "--scenario " + name + ": no such scenario (known: " + String.join(", ", NAMES) + ")");
        }
        CStandIns.validate(standIns);
        Map<String, String> models = new LinkedHashMap<>();
        if (name.equals("syscall-iret")) {
            models.put("do_syscall_64", "iret");
        }
        models.putAll(standIns);
        KernelTree tree = options.kernelTree();
        if (tree == null) {
            throw new AsmError(null, "--scenario needs --kernel-tree DIR (the tree whose entry code it runs)");
        }
        boolean pti = options.features().contains("PTI");
        boolean pcid = options.features().contains("PCID");
        ScenarioRoute route = ScenarioRoute.of(name);
        List<String> lines = new ArrayList<>(List.of(
                "/* entrysim scenario " + name + ": the tree's entry code and entrysim's user-side driver */",
                "#include \"" + tree.dir().toAbsolutePath().resolve("arch/x86/entry/entry_64.S") + "\"",
                route.kernelContext() ? "\t.text" : "\t.section .user.text, \"ax\"",
                "\t.globl " + USER_ENTRY,
                USER_ENTRY + ":"));
        route.userCode().forEach(insn -> lines.add("\t" + insn));
        if (route.vector() == Vectors.PF) {
            // the page the path faults on: user memory, mapped by the fault handler on first touch
            lines.addAll(List.of("\t.section .user.data, \"aw\"", "\t.balign 4096",
                    ScenarioRoute.DEMAND_PAGE + ":", "\t.quad 0x5eed", "\t.balign 4096"));
        }
        lines.add("");
        SourceFile source = new SourceFile("<scenario " + name + ">", String.join("\n", lines));
        // the compat entries are another object of the kernel (entry_64_compat.S: it includes calling.h again)
        List<SourceFile> units = new ArrayList<>(List.of(source));
        if (route.compat()) {
            units.add(new SourceFile("<scenario " + name + ": compat>", "#include \""
                    + tree.dir().toAbsolutePath().resolve("arch/x86/entry/entry_64_compat.S") + "\"\n"));
        }
        // which era's machine this is (a trampoline or not) is known once the program is: the
        // user-mapped per-CPU page changes the machine, not what is assembled
        MachineLayout base = MachineLayout.pti();
        Build assembled = Toolchain.build(units, options.withMachine(machine(base, pti, true)));
        boolean trampoline = assembled.program().symbols().containsKey("entry_SYSCALL_64_trampoline");
        Build build = trampoline ? assembled : new Build(assembled.program(), assembled.cpp(), assembled.statements(),
                assembled.autoPerCpu(), assembled.externals(), assembled.warnings(), assembled.printed(),
                assembled.options().withMachine(machine(base, pti, false)), assembled.bootPatches());

        long pgd = base.symbols().get("kernel_pgd");
        long userCr3 = pti ? pgd | 0x1000 | (pcid ? 0x801 : 0) : pgd | (pcid ? 1 : 0);
        // a 32-bit user's stack is below 4 GiB: inside user_text's megabyte (the user side never touches it)
        long userRsp = route.compat() ? base.symbols().get("user_text") + 0x80000
                : base.symbols().get("user_stack_top") - 0x1000;
        // a kernel context: CPL 0 on the task's stack, the kernel CR3 and GS, the user's GS saved
        long kernelCr3 = pgd | (pcid ? 1 : 0);
        long kernelRsp = base.symbols().get("kernel_stack_top") - 0x1000;
        boolean kernel = route.kernelContext();
        List<String> sets = new ArrayList<>();
        for (int r = 0; r < Reg.COUNT; r++) {
            sets.add(Reg.name64(r) + "=" + (r == Reg.RSP ? (kernel ? kernelRsp : userRsp) : USER_GPRS[r]));
        }
        // pf-kernel's access is inside user_access_begin(): stac has set AC
        sets.add("rflags=" + (name.equals("pf-kernel") ? USER_RFLAGS | Flags.AC : USER_RFLAGS));
        sets.add("cs=" + (kernel ? Cpu.KERNEL_CS : route.compat() ? USER32_CS : Cpu.USER_CS));
        sets.add("ss=" + (kernel ? Cpu.KERNEL_SS : Cpu.USER_SS));
        sets.add("cr3=" + (kernel ? kernelCr3 : userCr3));
        sets.add("gs_base=" + (kernel ? "percpu_base" : USER_GS));
        sets.add("kernel_gs_base=" + (kernel ? USER_GS : "percpu_base"));
        sets.add("lstar=" + (trampoline && pti ? "entry_SYSCALL_64_trampoline" : "entry_SYSCALL_64"));
        sets.add("syscall_mask=" + SYSCALL_MASK);
        if (build.program().symbols().containsKey("entry_SYSCALL_compat")) {
            sets.add("cstar=entry_SYSCALL_compat");
        }
        if (build.program().symbols().containsKey("entry_SYSENTER_compat")) {
            // as syscall_init() sets them: the kernel CS, the entry stack's top, the compat entry
            sets.add("ia32_sysenter_cs=" + Cpu.KERNEL_CS);
            sets.add("ia32_sysenter_esp=entry_stack_top");
            sets.add("ia32_sysenter_eip=entry_SYSENTER_compat");
        }
        List<String> mems = new ArrayList<>(kernelState(build));
        if (route.compat() && route.syscallAbi()) {
            // __kernel_vsyscall pushed EBP, then moved ESP (SYSENTER loses it) or arg2 (SYSCALL
            // clobbers ECX) into EBP; the kernel reloads EBP from the stack
            long ebp = name.equals("compat-sysenter") ? userRsp : USER_GPRS[Reg.RBP];
            if (name.equals("compat-sysenter")) {
                sets.add("rbp=" + userRsp);
            }
            mems.add(userRsp + "=" + ebp + ":4");
        }
        sets.addAll(user.sets());
        if (name.equals("syscall-iret") && build.program().symbols().containsKey("entry_SYSCALL64_slow_path")) {
            // 4.x takes do_syscall_64 (where the C can decline SYSRET) only on its slow path: work pending
            mems.add(task(build) + "+TASK_TI_flags=1:4");       // TIF_SYSCALL_TRACE
        }
        mems.addAll(user.mems());
        ExecOptions exec = user.exec().stubCalls() == ExecOptions.StubCalls.RETURN
                ? user.exec().withStubCalls(ExecOptions.StubCalls.CLOBBER) : user.exec();
        if (route.vector() == Vectors.PF) {
            // the path's own #PF goes through the IDT, as on hardware
            exec = exec.withFaults(ExecOptions.Faults.DELIVER);
        }
        List<MachineLayout.IdtEntry> idt = gates(name, route, build);
        idt.addAll(user.idt());
        RunSpec spec = user.withEntry(USER_ENTRY).withSets(sets).withMems(mems).withExec(exec).withExitToUser(true)
                .withIdt(idt);
        // the path's own event, in the spec (so a debugger's restore re-raises it)
        if (route.isNmi()) {
            List<Long> nmis = new ArrayList<>(user.nmiAt());
            nmis.add(route.injectBefore());
            spec = spec.withNmiAt(nmis);
        } else if (route.injected()) {
            List<RunSpec.IrqAt> irqs = new ArrayList<>(user.irqAt());
            irqs.add(new RunSpec.IrqAt(route.injectBefore(), route.vector()));
            spec = spec.withIrqAt(irqs);
        }
        return new EntryScenario(name, tree, build, spec, pti, pcid, route, Map.copyOf(models), units);
    }

    /**
     * The gates a scenario needs, where the tree has their handlers: the NMI (IST 2, NMI_STACK in
     * every era: {@code nmi} in 4.x, {@code asm_exc_nmi} from 5.8), the 32-bit system call vector
     * 0x80 ({@code entry_INT80_compat}, or 6.x's {@code asm_int80_emulation}), #PF, #DB (IST 3)
     * and the first external vector 0x20 ({@code irq_entries_start}'s first stub, so {@code
     * --irq-at N=0x20} works with every scenario). A tree without the handler of the path's own
     * event is an error naming it.
     */
    private static List<MachineLayout.IdtEntry> gates(String name, ScenarioRoute route, Build build) {
        List<MachineLayout.IdtEntry> idt = new ArrayList<>();
        gate(idt, build, Vectors.NMI, 2, "asm_exc_nmi", "nmi");
        gate(idt, build, ScenarioRoute.INT80, 0, "entry_INT80_compat", "asm_int80_emulation");
        gate(idt, build, Vectors.PF, 0, "asm_exc_page_fault", "page_fault");
        // #DB on its IST stack (DEBUG_STACK / IST_INDEX_DB + 1: 3 in every era)
        gate(idt, build, Vectors.DB, 3, "asm_exc_debug", "debug");
        gate(idt, build, ScenarioRoute.IRQ_VECTOR, 0, "irq_entries_start");
        // the path's own event needs its gate
        if (route.vector() >= 0 && idt.stream().noneMatch(g -> g.vector() == route.vector())) {
            String what = route.vector() == ScenarioRoute.INT80 ? "int $0x80 entry"
                    : route.vector() == ScenarioRoute.IRQ_VECTOR ? "irq_entries_start"
                    : Vectors.name(route.vector()) + " entry";
            throw new AsmError(null, "--scenario " + name + ": the tree's entry code has no " + what);
        }
        return idt;
    }

    /** A gate to the first of {@code handlers} (one name per era) that the program defines. */
    private static void gate(List<MachineLayout.IdtEntry> idt, Build build, int vector, int ist, String... handlers) {
        for (String handler : handlers) {
            if (build.program().symbols().containsKey(handler)) {
                idt.add(new MachineLayout.IdtEntry(vector, handler, ist));
                return;
            }
        }
    }

    /** The machine for this era: pti (or its single-table view), the driver at user_text, the TSS page user-mapped without a trampoline. */
    static MachineLayout machine(MachineLayout pti, boolean withPti, boolean trampoline) {
        Map<String, Long> placements = new LinkedHashMap<>(pti.placements());
        placements.put(".user.text", pti.symbols().get("user_text"));
        placements.put(".user.data", pti.symbols().get("user_text") + USER_DATA_OFFSET);
        List<MachineLayout.UserMappedVariable> userMapped = new ArrayList<>(pti.userMappedPerCpu());
        if (!trampoline) {
            userMapped.add(new MachineLayout.UserMappedVariable("cpu_tss_rw", 4096));
        }
        List<io.entrysim.cpu.Region> regions = pti.regions();
        List<MachineLayout.SectionRule> sections = pti.sections();
        if (!withPti) {
            // one page table: what either half maps, the other maps too (PTI's NX user alias goes)
            regions = new ArrayList<>();
            for (io.entrysim.cpu.Region r : pti.regions()) {
                boolean ptiOnlyAlias = !r.userView() && pti.regions().stream().anyMatch(u -> u != r && u.userView()
                        && u.start() == r.start() && u.size() == r.size());
                if (!ptiOnlyAlias) {
                    regions.add(new io.entrysim.cpu.Region(r.name(), r.start(), r.size(), true, true, r.executable(),
                            r.writable(), r.userPage()));
                }
            }
            sections = pti.sections().stream().map(s -> new MachineLayout.SectionRule(s.pattern(), true, true,
                    s.writable(), s.userPage())).toList();
        }
        return new MachineLayout(pti.name() + (withPti ? "" : " (single page table)"), pti.flatMemory(), regions,
                sections, userMapped, pti.symbols(), placements, pti.aliases(), pti.tss(), pti.idt());
    }

    /** The task's kernel stack top and {@code current}, wherever this era keeps them. */
    static List<String> kernelState(Build build) {
        UserExpressions exprs = new UserExpressions(build);
        long task = task(build);
        List<String> mems = new ArrayList<>();
        for (String[] slot : new String[][] {
                {"%gs:pcpu_hot+X86_top_of_stack", "kernel_stack_top"},
                {"%gs:pcpu_hot+X86_current_task", Long.toString(task)},
                {"%gs:cpu_current_top_of_stack", "kernel_stack_top"},
                {"%gs:current_task", Long.toString(task)},
                // 4.x switches to the IRQ stack in asm (ENTER_IRQ_STACK): not nested, and where it is
                {"%gs:irq_count", "0xffffffff"},
                {"%gs:irq_stack_ptr", "percpu_base+0x8000-64"}}) {
            boolean known = slot[0].contains("pcpu_hot") ? build.program().symbols().containsKey("pcpu_hot")
                    : resolves(exprs, slot[0]);
            if (known) {
                mems.add(slot[0] + "=" + slot[1] + (slot[0].endsWith("irq_count") ? ":4" : ":8"));
            }
        }
        return mems;
    }


    /** The stand-in task: zeroed memory at the far end of the kernel stack's region. */
    static long task(Build build) {
        return build.options().machine().symbols().get("kernel_stack_top") - 0x4000;
    }

    private static boolean resolves(UserExpressions exprs, String address) {
        try {
            exprs.address(address, "--scenario", 0);
            return true;
        } catch (AsmError e) {
            return false;
        }
    }

    /** A machine ready to run the scenario (its NMIs, step limit and stubs as the command line said). */
    public Machine machine() {
        // a 32-bit user runs in compatibility mode (only its way into the kernel executes)
        AddressSpace[] space = {null};
        Machine m = Machine.create(build, spec, cpu -> {
            cpu.setCompatMode(route.compat());
            if (cpu.memory().accessChecker() instanceof AddressSpace s && route.vector() == Vectors.PF) {
                // one page the fault handler maps on first touch; its present bit after the PGD pair
                s.setDemandPages(symbol(ScenarioRoute.DEMAND_PAGE), 1, build.options().machine().symbols()
                        .get("kernel_pgd") + 0x2000);
                space[0] = s;
            }
        });
        long landingPad = build.program().symbols().getOrDefault(ScenarioRoute.LANDING_PAD, 0L);
        CStandIns.install(m, new CStandIns.Context(build.options().machine().symbols().get("kernel_stack_top"),
                landingPad, space[0]), standIns);
        return m;
    }

    /**
     * Runs until control is back in the interrupted user context at the place the path returns
     * to (an NMI that returns to user mode before the path's own event does not end it), or the
     * machine stops.
     */
    public RunOutcome run(Machine m, Start start) {
        long back = symbol(USER_ENTRY) + route.returnOffset();
        int cpl = route.kernelContext() ? 0 : 3;
        boolean[] left = {false};
        Insn[] previous = {null};
        java.util.function.Predicate<Machine> eventTaken = eventTaken();
        return m.run(Until.when(x -> {
            // the last sysret/iret that ran: which way the path left the kernel
            if (previous[0] != null && (previous[0].op == Op.SYSRET || previous[0].op == Op.IRET)) {
                start.lastExit()[0] = previous[0];
            }
            previous[0] = x.currentInsn();
            boolean atContext = x.cpu().cpl() == cpl && x.cpu().rip() == back;
            if (!atContext) {
                left[0] |= eventTaken.test(x) && (x.cpu().cpl() != cpl || route.kernelContext());
                return false;
            }
            return left[0];
        }).reportedAs(returnReason()));
    }

    /**
     * Whether the path's own event has been taken: SYSCALL and the like by their first step, an
     * injected event once its step has come and it is no longer pending, a fault once CR2 names
     * its page (it returns to where it was raised: there, only once it has been).
     */
    private java.util.function.Predicate<Machine> eventTaken() {
        long demandPage = route.vector() == Vectors.PF ? symbol(ScenarioRoute.DEMAND_PAGE) : -1;
        return x -> route.vector() == Vectors.PF ? x.cpu().cr2() == demandPage
                : !route.injected() || x.steps() >= route.injectBefore() - 1
                && !(route.isNmi() ? x.cpu().events().nmiPending()
                        : x.cpu().events().interruptRequested(route.vector()));
    }

    /** True when the path's event has a gate that switches to an IST stack (NMI, #DB). */
    private boolean onIst() {
        return spec.idt().stream().anyMatch(g -> g.vector() == route.vector() && g.ist() > 0);
    }

    /**
     * Whether the machine is back in the interrupted context at the place the path returns to,
     * from its state alone (for a debugger, which moves back and forth): there, with the path's
     * own event already taken (a SYSCALL-like instruction has run, the injected event's step has
     * passed, the fault has named its page).
     */
    public java.util.function.Predicate<Machine> returned() {
        long back = symbol(USER_ENTRY) + route.returnOffset();
        int cpl = route.kernelContext() ? 0 : 3;
        java.util.function.Predicate<Machine> eventTaken = eventTaken();
        // past the injected event's own step: at it, the context is there before the event
        return m -> m.cpu().rip() == back && m.cpu().cpl() == cpl && m.steps() > 0
                && m.steps() >= route.injectBefore() && eventTaken.test(m);
    }

    /** The stop a return to the interrupted context is reported as. */
    public StopReason returnReason() {
        return route.kernelContext() ? StopReason.RETURN_TO_KERNEL : StopReason.RETURN_TO_USER;
    }

    private long symbol(String name) {
        return build.program().symbols().get(name);
    }

    /** The interrupted context as the run starts (the command line's --set included): what the checks compare with. */
    public record Start(long[] gprs, long rflags, long cr3, long gsBase, long kernelGsBase, int cs, int ss,
                        Insn[] lastExit) {
        public static Start of(Cpu cpu) {
            return new Start(cpu.gprs().clone(), cpu.rflags(), cpu.cr3(), cpu.gsBase(), cpu.kernelGsBase(), cpu.cs(),
                    cpu.ss(), new Insn[1]);
        }
    }

    /** The checks of the state the path returned to, against the context it started from. */
    public List<ScenarioCheck> check(Start start, Machine m, RunOutcome outcome) {
        Cpu cpu = m.cpu();
        long userRsp = start.gprs()[Reg.RSP];
        long userRflags = start.rflags();
        long userCr3 = start.cr3();
        List<ScenarioCheck> checks = new ArrayList<>();
        long after = build.program().symbols().get(USER_ENTRY) + route.returnOffset();
        boolean syscall = route.syscallAbi();
        checks.add(ScenarioCheck.of("mode", cpu.compatMode() == route.compat(), cpu.compatMode()
                ? "compatibility mode" : "64-bit mode"));
        StopReason returned = route.kernelContext() ? StopReason.RETURN_TO_KERNEL : StopReason.RETURN_TO_USER;
        checks.add(ScenarioCheck.of(route.kernelContext() ? "returned-to-kernel" : "returned-to-user",
                outcome.stop() == returned, "stop " + outcome.stop().label()));
        Insn last = start.lastExit()[0];
        checks.add(ScenarioCheck.of("left-by-" + route.exit().name().toLowerCase(java.util.Locale.ROOT),
                last != null && last.op == route.exit(), last == null ? "no sysret or iret ran" : last.text));
        checks.add(ScenarioCheck.equal("rip", after, cpu.rip()));
        checks.add(ScenarioCheck.equal("cs", start.cs(), cpu.cs()));
        checks.add(ScenarioCheck.equal("ss", start.ss(), cpu.ss()));
        checks.add(ScenarioCheck.equal("rsp", userRsp, cpu.reg(Reg.RSP)));
        long compared = ~Flags.RF & (route.statusFlagsKept() ? -1L : ~Flags.STATUS);
        checks.add(ScenarioCheck.equal(route.statusFlagsKept() ? "rflags" : "rflags-but-status-flags",
                userRflags & compared, cpu.rflags() & compared));
        if (syscall && !route.compat()) {
            checks.add(ScenarioCheck.equal("rcx-is-return-rip", after, cpu.reg(Reg.RCX)));
            checks.add(ScenarioCheck.equal("r11-is-rflags", userRflags & ~Flags.RF, cpu.reg(Reg.R11) & ~Flags.RF));
        } else if (syscall) {
            // SYSRETL returns to ECX (the vDSO then reloads ECX from EBP, where 32-bit SYSCALL passes arg2)
            checks.add(ScenarioCheck.equal("ecx-is-return-eip", after & 0xffffffffL, cpu.reg(Reg.RCX) & 0xffffffffL));
        }
        checks.add(ScenarioCheck.equal("cr3-restored", userCr3, cpu.cr3()));
        if (onIst()) {
            // the CPU pushed the event's frame at the top of the gate's IST stack: its RIP and CS
            // are the interrupted context's
            long top = build.options().machine().symbols().get(route.isNmi() ? "ist_nmi_top" : "ist_db_top");
            long rip = cpu.memory().peek(top - 5 * 8, 8);
            long cs = cpu.memory().peek(top - 4 * 8, 8);
            checks.add(ScenarioCheck.of("frame-on-ist-stack", rip == after && cs == start.cs(), String.format(
                    "frame at 0x%x: rip 0x%x cs 0x%x", top - 5 * 8, rip, cs)));
        }
        if (route.vector() == Vectors.PF) {
            long page = symbol(ScenarioRoute.DEMAND_PAGE);
            boolean mapped = m.cpu().memory().accessChecker() instanceof AddressSpace s && !s.notPresent(page);
            checks.add(ScenarioCheck.of("fault-handled", mapped && cpu.cr2() == page, String.format(
                    "cr2 0x%x, page 0x%x %s", cpu.cr2(), page, mapped ? "mapped" : "not mapped")));
        }
        List<String> changed = new ArrayList<>();
        for (int r = 0; r < Reg.COUNT; r++) {
            if (!route.clobbered().contains(r) && r != Reg.RSP && cpu.reg(r) != start.gprs()[r]) {
                changed.add(String.format("%s 0x%x -> 0x%x", Reg.name64(r), start.gprs()[r], cpu.reg(r)));
            }
        }
        checks.add(ScenarioCheck.of("gprs-preserved", changed.isEmpty(),
                changed.isEmpty() ? (route.clobbered().isEmpty() ? "all" : "all but rax, rcx, r11 (the ABI's)")
                        : String.join(", ", changed)));
        checks.add(ScenarioCheck.equal("gs-base-restored", start.gsBase(), cpu.gsBase()));
        checks.add(ScenarioCheck.equal("kernel-gs-base-restored", start.kernelGsBase(), cpu.kernelGsBase()));
        checks.add(ScenarioCheck.of("no-fault", outcome.fault() == null,
                outcome.fault() == null ? "none" : outcome.fault().summary()));
        checks.add(ScenarioCheck.of("no-violation", outcome.violations().isEmpty() && outcome.flagViolations().isEmpty(),
                outcome.violations().isEmpty() ? "none" : outcome.violations().toString()));
        return checks;
    }

    /** The CPU feature set's effect the checks assume, for reports. */
    public String configuration() {
        return (pti ? "PTI" : "no PTI") + (pcid ? ", PCID" : "");
    }
}
