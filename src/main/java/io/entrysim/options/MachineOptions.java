package io.entrysim.options;

import io.entrysim.exec.ExecOptions;
import io.entrysim.kernel.CpuFeatures;
import io.entrysim.kernel.KernelTree;
import io.entrysim.kernel.MachineLayout;
import io.entrysim.kernel.ShimMode;
import io.entrysim.session.BuildOptions;
import io.entrysim.session.RunOptionParsing;
import io.entrysim.session.RunSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options that say what to build and how the machine starts and runs, shared by every
 * subcommand that runs a program ({@code @Mixin}): they turn into the {@link BuildOptions} and
 * {@link RunSpec} a {@link io.entrysim.session.Machine} is made from.
 */
public final class MachineOptions {
    @Option(names = "-I", paramLabel = "DIR", description = "add DIR to the #include search path")
    List<Path> includeDirs = new ArrayList<>();

    @Option(names = "-D", paramLabel = "NAME[=VAL]", description = "define a cpp macro (VAL defaults to 1)")
    List<String> defines = new ArrayList<>();

    @Option(names = "-U", paramLabel = "NAME", description = "undefine a cpp macro (after all -D)")
    List<String> undefines = new ArrayList<>();

    @Option(names = "--feature", paramLabel = "F,...", description = "CPU features (cpufeatures.h names without X86_FEATURE_), e.g. PTI,PCID")
    List<String> features = new ArrayList<>();

    @Option(names = "--static-key", paramLabel = "KEY=0|1", description = "static key value for STATIC_JUMP_IF_*")
    List<String> staticKeys = new ArrayList<>();

    @Option(names = "--set", paramLabel = "REG=VALUE", description = "initial register: a GPR, rflags, cr0, cr3, cr4, gs_base, kernel_gs_base, fs_base, cs, ss, or an MSR (lstar, star, efer, ...)")
    List<String> sets = new ArrayList<>();

    @Option(names = "--mem", paramLabel = "ADDR_EXPR=VALUE[:SIZE]", description = "initial memory (SIZE 1, 2, 4 or 8 bytes; default 8); %%gs: is the per-CPU area")
    List<String> mems = new ArrayList<>();

    @Option(names = "--entry", paramLabel = "LABEL", description = "start at LABEL instead of the first instruction")
    String entry;

    @Option(names = "--max-steps", paramLabel = "N", defaultValue = "1000000", description = "stop after N instructions (default ${DEFAULT-VALUE})")
    long maxSteps;

    @Option(names = "--strict-flags", description = "report each read of a flag that its last writer left undefined (e.g. bt then jo)")
    boolean strictFlags;

    @Option(names = "--machine", paramLabel = "flat|pti|FILE", defaultValue = "flat",
            description = "the machine: flat (default: everything mapped), pti (v4.15 page-table isolation) or a machine-description file")
    String machine;

    @Option(names = "--invalidate", paramLabel = "user-pcid=N",
            description = "before the run, do what the C side does when it changes the page tables of the mm with kernel PCID N: mark user PCID N|0x800 stale and set bit N of the per-CPU flush mask")
    List<String> invalidations = new ArrayList<>();

    @Option(names = "--exit-to-user", description = "the end of the run returns to user mode: check for lost flushes there")
    boolean exitToUser;

    @Option(names = "--nmi-at", paramLabel = "STEP", description = "an NMI arrives before step STEP (1-based, as --trace numbers steps); repeatable")
    List<Long> nmiAt = new ArrayList<>();

    @Option(names = "--irq-at", paramLabel = "STEP=VECTOR",
            description = "an external interrupt with VECTOR (32-255) arrives before step STEP, delivered as the CPU delivers one (IF permitting); repeatable")
    List<String> irqAt = new ArrayList<>();

    @Option(names = "--idt", paramLabel = "VECTOR=HANDLER[:IST]", description = "an IDT interrupt gate: vector -> the program's label, on IST n; repeatable")
    List<String> idt = new ArrayList<>();

    @Option(names = "--deliver-faults", description = "deliver faults through the IDT (default: a fault stops the run)")
    boolean deliverFaults;

    @Option(names = "--stub-calls", paramLabel = "return|clobber|stop", defaultValue = "return",
            converter = StubCallsConverter.class,
            description = "what a call to an undefined function does: return at once (default), clobber the caller-saved registers with 0xdead0000000N then return, or stop the run")
    ExecOptions.StubCalls stubCalls;

    @Option(names = "--clobber-calls", description = "same as --stub-calls clobber")
    boolean clobberCalls;

    @Option(names = "--no-stubs", description = "make symbols the program never defines an error instead of giving them stubs")
    boolean noStubs;

    @Option(names = "-include", paramLabel = "FILE",
            description = "read FILE before the source, as if it began with #include \"FILE\" (as gcc -include)")
    List<String> forcedIncludes = new ArrayList<>();

    @Option(names = "--kernel-tree", paramLabel = "DIR",
            description = "a Linux checkout (4.15 on): its headers, config and -includes as Kbuild sets them for x86_64, generated headers an unbuilt tree lacks supplied, its cpufeatures.h names the features; its real alternative/jump_label headers win over the shims (patched at boot)")
    Path kernelTree;

    @Option(names = "--no-shims", description = "do not use entrysim's kernel shim headers (same as --shims none)")
    boolean noShims;

    @Option(names = "--shims", paramLabel = "first|fallback|none",
            description = "where entrysim's kernel shim headers are searched: before -I (default: ALTERNATIVE and static keys decided at assembly time), after -I (a tree's real headers win; their .altinstructions and __jump_table are patched as the kernel does at boot), or not at all")
    String shims;

    /** The {@code -I} directories as given (a spec runner checks they exist before building). */
    public List<Path> includeDirs() {
        return List.copyOf(includeDirs);
    }

    public BuildOptions buildOptions() {
        KernelTree tree = kernelTree == null ? null : KernelTree.open(kernelTree);
        BuildOptions options = new BuildOptions(includeDirs, RunOptionParsing.defines(defines),
                new LinkedHashSet<>(undefines), tree != null ? tree.parseFeatures(features) : CpuFeatures.parse(features),
                RunOptionParsing.staticKeys(staticKeys), shimMode(), !noStubs, MachineLayout.named(machine))
                .withForcedIncludes(forcedIncludes);
        return tree == null ? options : options.withKernelTree(tree);
    }

    private ShimMode shimMode() {
        ShimMode mode = shims == null ? ShimMode.FIRST : ShimMode.parse(shims);
        if (noShims && shims != null && mode != ShimMode.NONE) {
            throw new io.entrysim.diag.AsmError(null, "--no-shims contradicts --shims " + shims);
        }
        return noShims ? ShimMode.NONE : mode;
    }

    public RunSpec runSpec() {
        ExecOptions exec = new ExecOptions(strictFlags)
                .withFaults(deliverFaults ? ExecOptions.Faults.DELIVER : ExecOptions.Faults.STOP)
                .withStubCalls(clobberCalls ? ExecOptions.StubCalls.CLOBBER : stubCalls);
        return new RunSpec(entry, sets, mems, invalidations, RunOptionParsing.idt(idt), maxSteps, exec, exitToUser, nmiAt,
                RunOptionParsing.irqAt(irqAt));
    }

    /** Accepts return, clobber, stop (case-insensitive). */
    static final class StubCallsConverter implements picocli.CommandLine.ITypeConverter<ExecOptions.StubCalls> {
        @Override
        public ExecOptions.StubCalls convert(String value) {
            try {
                return ExecOptions.StubCalls.valueOf(value.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("expected return, clobber or stop, not `" + value + "'");
            }
        }
    }
}
