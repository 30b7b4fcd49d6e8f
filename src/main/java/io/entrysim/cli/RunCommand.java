package io.entrysim.cli;

import io.entrysim.cpu.Cpu;
import io.entrysim.exec.ExecOptions;
import io.entrysim.exec.FlagViolation;
import io.entrysim.exec.Violation;
import io.entrysim.kernel.MachineLayout;
import io.entrysim.kernel.CpuFeatures;
import io.entrysim.session.Build;
import io.entrysim.session.BuildOptions;
import io.entrysim.session.MachineSetup;
import io.entrysim.session.RunOutcome;
import io.entrysim.session.RunRequest;
import io.entrysim.session.Runner;
import io.entrysim.session.SystemSetup;
import io.entrysim.session.Toolchain;
import io.entrysim.session.UserExpressions;
import io.entrysim.session.UserPcidRequests;
import io.entrysim.diag.AsmError;
import io.entrysim.diag.AsmWarning;
import io.entrysim.diag.Diagnostics;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code entrysim run FILE.S}: assemble, run on the default machine, report the final state.
 * Exit status: 0 the run stopped normally (hlt, ret, end, return-to-user); 1 bad input or the
 * step limit; 2 the run stopped on a CPU fault, a call to an undefined function with
 * {@code --stub-calls stop}, or in compat mode; 3 the run completed but broke a rule
 * (lost-flush, pcid-bits-without-pcid, or with {@code --strict-flags} a read of an undefined flag).
 */
@Command(name = "run", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = "Preprocess, assemble and run FILE.S; print the final machine state.")
public final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.S", description = "the assembly source (cpp + GNU as syntax)")
    Path file;

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

    @Option(names = "--mem", paramLabel = "ADDR_EXPR=VALUE[:SIZE]", description = "initial memory (SIZE 1, 2, 4 or 8 bytes; default 8)")
    List<String> mems = new ArrayList<>();

    @Option(names = "--dump", paramLabel = "ADDR_EXPR[:LEN]", description = "print LEN bytes (default 8) at the end")
    List<String> dumps = new ArrayList<>();

    @Option(names = "--entry", paramLabel = "LABEL", description = "start at LABEL instead of the first instruction")
    String entry;

    @Option(names = "--max-steps", paramLabel = "N", defaultValue = "1000000", description = "stop after N instructions (default ${DEFAULT-VALUE})")
    long maxSteps;

    @Option(names = "--trace", description = "print every executed instruction and what it changed")
    boolean trace;

    @Option(names = "--json", description = "print the result as one JSON object")
    boolean json;

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

    @Option(names = "--no-shims", description = "do not use entrysim's kernel shim headers")
    boolean noShims;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isRegularFile(file)) {
            throw new AsmError(null, file + ": No such file");
        }
        BuildOptions options = new BuildOptions(includeDirs, parseDefines(), new LinkedHashSet<>(undefines),
                CpuFeatures.parse(features), parseStaticKeys(), !noShims, !noStubs, MachineLayout.named(machine));
        Build build = Toolchain.build(file, options);
        for (AsmWarning w : build.warnings()) {
            err.println(Diagnostics.format("warning", w.origin(), w.message()));
        }
        Cpu cpu = MachineSetup.newCpu(build);
        UserExpressions exprs = new UserExpressions(build);
        InitialState.apply(cpu, sets, mems, exprs);
        for (String spec : invalidations) {
            if (!spec.startsWith("user-pcid=")) {
                throw new AsmError(null, "--invalidate wants user-pcid=N, not `" + spec + "'");
            }
            UserPcidRequests.invalidate(cpu, build, exprs.value(spec.substring("user-pcid=".length()), "--invalidate"),
                    "--invalidate " + spec + " before the run");
        }
        for (long step : nmiAt) {
            if (step < 1) {
                throw new AsmError(null, "--nmi-at: steps count from 1, not " + step);
            }
        }
        // with --json the trace goes to stderr, so stdout stays one JSON object
        TraceWriter tracer = trace ? new TraceWriter(json ? err : out, build) : null;
        SystemSetup.installIdt(cpu, build, parseIdt(), "--idt");
        ExecOptions exec = new ExecOptions(strictFlags)
                .withFaults(deliverFaults ? ExecOptions.Faults.DELIVER : ExecOptions.Faults.STOP)
                .withStubCalls(clobberCalls ? ExecOptions.StubCalls.CLOBBER : stubCalls);
        RunOutcome outcome = Runner.run(build, cpu, new RunRequest(entry, maxSteps, tracer, exec, exitToUser, nmiAt));
        List<MemoryDump> memory = MemoryDump.take(cpu, dumps, exprs);
        if (json) {
            out.println(JsonReport.render(build, cpu, outcome, memory));
        } else {
            TextReport.render(out, build, cpu, outcome, memory);
        }
        out.flush();
        for (long step : nmiAt) {
            if (step > outcome.steps()) {
                err.println("entrysim: warning: --nmi-at " + step + ": the run ended after " + outcome.steps()
                        + " steps, so that NMI never arrived");
            }
        }
        for (FlagViolation v : outcome.flagViolations()) {
            err.println(Diagnostics.format("warning", v.insn().origin, v.message()));
        }
        for (Violation v : outcome.violations()) {
            err.println(Diagnostics.format("warning", v.at() == null ? null : v.at().origin, v.kind() + ": " + v.message()));
        }
        if (outcome.fault() != null) {
            err.println(Diagnostics.format("error", outcome.lastOrigin(), "fault " + TextReport.fault(outcome)));
            return 2;
        }
        if (outcome.stop().equals("undefined-function") || outcome.stop().equals("compat-mode")) {
            err.println(Diagnostics.format("error", outcome.lastOrigin(), outcome.detail()));
            return 2;
        }
        if (!outcome.violations().isEmpty() || !outcome.flagViolations().isEmpty()) {
            return 3;
        }
        if (outcome.maxStepsReached()) {
            err.println(Diagnostics.format("error", outcome.lastOrigin(),
                    "step limit of " + maxSteps + " instructions reached (runaway loop? raise --max-steps)"));
            return 1;
        }
        return 0;
    }

    private Map<String, String> parseDefines() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String d : defines) {
            int eq = d.indexOf('=');
            out.put(eq < 0 ? d : d.substring(0, eq), eq < 0 ? "1" : d.substring(eq + 1));
        }
        return out;
    }

    private List<MachineLayout.IdtEntry> parseIdt() {
        List<MachineLayout.IdtEntry> out = new ArrayList<>();
        for (String spec : idt) {
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("(0x[0-9a-fA-F]+|\\d+)=([A-Za-z_.$][A-Za-z0-9_.$]*)(?::([0-7]))?").matcher(spec.trim());
            if (!m.matches()) {
                throw new AsmError(null, "--idt wants VECTOR=HANDLER[:IST], not `" + spec + "'");
            }
            long vector = Long.decode(m.group(1).length() > 12 ? "999" : m.group(1));
            if (vector > 255) {
                throw new AsmError(null, "--idt: vector " + vector + " is outside 0..255");
            }
            if (out.stream().anyMatch(e -> e.vector() == vector)) {
                throw new AsmError(null, "--idt: vector " + vector + " given twice");
            }
            out.add(new MachineLayout.IdtEntry((int) vector, m.group(2), m.group(3) == null ? 0 : Integer.parseInt(m.group(3))));
        }
        return out;
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

    private Map<String, Boolean> parseStaticKeys() {
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (String s : staticKeys) {
            int eq = s.indexOf('=');
            String v = eq < 0 ? "" : s.substring(eq + 1).trim();
            if (eq <= 0 || !(v.equals("0") || v.equals("1"))) {
                throw new AsmError(null, "--static-key wants KEY=0 or KEY=1, not `" + s + "'");
            }
            out.put(s.substring(0, eq).trim(), v.equals("1"));
        }
        return out;
    }
}
