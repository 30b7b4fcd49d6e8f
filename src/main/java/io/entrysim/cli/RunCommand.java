package io.entrysim.cli;

import io.entrysim.diag.AsmWarning;
import io.entrysim.options.MachineOptions;
import io.entrysim.diag.Diagnostics;
import io.entrysim.exec.FlagViolation;
import io.entrysim.exec.Violation;
import io.entrysim.scenario.EntryScenario;
import io.entrysim.scenario.ScenarioCheck;
import io.entrysim.session.Build;
import io.entrysim.session.Machine;
import io.entrysim.session.RunOutcome;
import io.entrysim.session.RunSpec;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code entrysim run FILE.S}: assemble, run on the machine, report the final state. Exit status
 * as {@link ExitStatus} says.
 */
@Command(name = "run", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = "Preprocess, assemble and run FILE.S; print the final machine state.")
public final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ProgramArguments program;

    @Mixin
    MachineOptions machine;

    @Option(names = "--dump", paramLabel = "ADDR_EXPR[:LEN]", description = "print LEN bytes (default 8) at the end; %%gs: is the per-CPU area")
    List<String> dumps = new ArrayList<>();

    @Option(names = "--trace", description = "print every executed instruction and what it changed")
    boolean trace;

    @Option(names = "--json", description = "print the result as one JSON object")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ProgramSource source = program.source(machine);
        EntryScenario scene = source.scene();
        Build build = source.build();
        // .print text as gas prints it (to stdout; to stderr with --json, so stdout stays one object)
        PrintWriter printed = json ? err : out;
        build.printed().forEach(printed::println);
        for (AsmWarning w : build.warnings()) {
            err.println(w.format());
        }
        RunSpec run = source.runSpec(machine);
        Machine m = source.machine(machine);
        EntryScenario.Start start = scene != null ? EntryScenario.Start.of(m.cpu()) : null;
        if (trace) {
            // with --json the trace goes to stderr, so stdout stays one JSON object
            m.setTracer(new TraceWriter(json ? err : out, m.cpu().memory()));
        }
        RunOutcome outcome = scene != null ? scene.run(m, start) : m.run();
        List<MemoryDump> memory = MemoryDump.take(m.cpu(), dumps, m.expressions());
        List<ScenarioCheck> checks = scene == null ? List.of() : scene.check(start, m, outcome);
        if (json) {
            com.google.gson.JsonObject o = JsonReport.object(build, m.cpu(), outcome, memory);
            if (scene != null) {
                o.add("scenario", ScenarioReport.json(scene, checks));
            }
            out.println(JsonReport.toJson(o));
        } else {
            TextReport.render(out, build, m.cpu(), outcome, memory);
            if (scene != null) {
                ScenarioReport.text(out, scene, checks);
            }
        }
        out.flush();
        for (RunSpec.IrqAt irq : run.irqAt()) {
            if (irq.step() > outcome.steps()) {
                err.println("entrysim: warning: --irq-at " + irq.step() + "=" + irq.vector() + ": the run ended after "
                        + outcome.steps() + " steps, so that interrupt never arrived");
            }
        }
        for (long step : run.nmiAt()) {
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
        int status = ExitStatus.of(outcome);
        if (status == ExitStatus.OK && checks.stream().anyMatch(c -> !c.ok())) {
            status = ExitStatus.VIOLATION;
            err.println("entrysim: error: scenario " + scene.name() + ": "
                    + checks.stream().filter(c -> !c.ok()).map(c -> c.name() + " (" + c.detail() + ")").toList());
        }
        switch (status) {
            case ExitStatus.FAULT -> err.println(Diagnostics.format("error", outcome.lastOrigin(), outcome.fault() != null
                    ? "fault " + outcome.fault().summary() : outcome.detail()));
            case ExitStatus.BAD_INPUT_OR_LIMIT -> err.println(Diagnostics.format("error", outcome.lastOrigin(),
                    "step limit of " + run.maxSteps() + " instructions reached (runaway loop? raise --max-steps)"));
            default -> { }
        }
        return status;
    }
}
