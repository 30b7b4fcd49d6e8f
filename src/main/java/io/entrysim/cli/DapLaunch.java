package io.entrysim.cli;

import io.entrysim.debug.Debugger;
import io.entrysim.options.MachineOptions;
import io.entrysim.diag.AsmError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

/**
 * A DAP {@code launch} request's arguments as the machine to debug. Every field holds exactly
 * what the {@code entrysim run} option of the same meaning takes, so they are turned into that
 * command line and parsed by the same {@link MachineOptions}: arrays of strings for the repeated
 * options, a string, number or boolean for the others.
 */
final class DapLaunch {
    /** JSON field -> the repeated option it stands for. */
    static final Map<String, String> REPEATED = Map.ofEntries(
            Map.entry("includeDirs", "-I"), Map.entry("defines", "-D"), Map.entry("undefines", "-U"),
            Map.entry("features", "--feature"), Map.entry("staticKeys", "--static-key"), Map.entry("set", "--set"),
            Map.entry("mem", "--mem"), Map.entry("invalidate", "--invalidate"), Map.entry("idt", "--idt"),
            Map.entry("nmiAt", "--nmi-at"), Map.entry("irqAt", "--irq-at"), Map.entry("include", "-include"),
            Map.entry("standIns", "--stand-in"));
    /** JSON field -> the single-valued option. */
    static final Map<String, String> SINGLE = Map.of("machine", "--machine", "entry", "--entry", "maxSteps", "--max-steps",
            "stubCalls", "--stub-calls", "kernelTree", "--kernel-tree", "shims", "--shims", "scenario", "--scenario");
    /** JSON field -> the flag it turns on when true. */
    static final Map<String, String> FLAGS = Map.of("strictFlags", "--strict-flags", "exitToUser", "--exit-to-user",
            "deliverFaults", "--deliver-faults", "clobberCalls", "--clobber-calls", "noStubs", "--no-stubs",
            "noShims", "--no-shims");

    /** The picocli target: the file (or scenario) and the shared options. */
    static final class Options {
        @Mixin
        ProgramArguments program = new ProgramArguments();

        @Mixin
        MachineOptions machine = new MachineOptions();
    }

    private DapLaunch() {}

    /** A debugger on the machine {@code args} describe; AsmError on bad arguments or a program that does not build. */
    static Debugger debugger(Map<String, Object> args) {
        Object program = args.get("program");
        boolean scenario = args.get("scenario") != null;
        if (!scenario && (!(program instanceof String p) || p.isBlank())) {
            throw new AsmError(null, "launch: `program' (the .S file) is required, or `scenario' with `kernelTree'");
        }
        List<String> argv = new ArrayList<>();
        for (Map.Entry<String, String> e : REPEATED.entrySet()) {
            for (String v : strings(args.get(e.getKey()), e.getKey())) {
                argv.add(e.getValue());
                argv.add(v);
            }
        }
        for (Map.Entry<String, String> e : SINGLE.entrySet()) {
            Object v = args.get(e.getKey());
            if (v != null) {
                argv.add(e.getValue());
                argv.add(scalar(v));
            }
        }
        for (Map.Entry<String, String> e : FLAGS.entrySet()) {
            if (Boolean.TRUE.equals(args.get(e.getKey()))) {
                argv.add(e.getValue());
            }
        }
        if (program instanceof String p && !p.isBlank()) {
            argv.add(p);
        }
        Options o = new Options();
        try {
            new CommandLine(o).parseArgs(argv.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new AsmError(null, "launch: " + e.getMessage());
        }
        ProgramSource source = o.program.source(o.machine);
        Debugger dbg = new Debugger(source.machine(o.machine));
        if (source.scene() != null) {
            // as `entrysim debug' does: a scenario's run ends where control is back in the interrupted context
            dbg.stopWhen(source.scene().returned(), source.scene().returnReason());
        }
        return dbg;
    }

    private static List<String> strings(Object v, String field) {
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> list) {
            List<String> out = new ArrayList<>();
            for (Object x : list) {
                out.add(scalar(x));
            }
            return out;
        }
        return List.of(scalar(v));
    }

    /** A JSON scalar as the option text: numbers arrive as doubles, and an integral one is written without ".0". */
    private static String scalar(Object v) {
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return Long.toString(n.longValue());
        }
        return String.valueOf(v);
    }
}
