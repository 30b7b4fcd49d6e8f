package io.entrysim.cli;

import io.entrysim.diag.AsmError;
import io.entrysim.options.MachineOptions;
import io.entrysim.scenario.EntryScenario;
import io.entrysim.session.Build;
import io.entrysim.session.Machine;
import io.entrysim.session.RunSpec;
import io.entrysim.session.Toolchain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a front door builds: the user's FILE.S, or a built-in scenario's program ({@code
 * --scenario NAME} with {@code --kernel-tree}); exactly one of them.
 *
 * @param scene the scenario, or null for a file
 * @param build the built program
 * @param name  how reports name it: the file, or {@code <scenario NAME>}
 */
record ProgramSource(EntryScenario scene, Build build, String name) {
    static ProgramSource of(Path file, String scenario, Map<String, String> standIns, MachineOptions machine) {
        if (scenario == null && !standIns.isEmpty()) {
            throw new AsmError(null, "--stand-in models a C function of a built-in scenario: it needs --scenario NAME");
        }
        if (scenario != null) {
            if (file != null) {
                throw new AsmError(null, "--scenario " + scenario
                        + " assembles the tree's entry code with its own driver: give no FILE.S");
            }
            EntryScenario scene = EntryScenario.prepare(scenario, machine.buildOptions(), machine.runSpec(), standIns);
            return new ProgramSource(scene, scene.build(), "<scenario " + scenario + ">");
        }
        if (file == null) {
            throw new AsmError(null, "missing FILE.S (or --scenario NAME with --kernel-tree DIR)");
        }
        if (!Files.isRegularFile(file)) {
            throw new AsmError(null, file + (Files.isDirectory(file) ? ": Is a directory" : ": No such file"));
        }
        return new ProgramSource(null, Toolchain.build(file, machine.buildOptions()), file.toString());
    }

    /** The run as the options (or the scenario) say. */
    RunSpec runSpec(MachineOptions machine) {
        return scene != null ? scene.spec() : machine.runSpec();
    }

    /** A machine ready to run it (a scenario's with its stand-ins and events). */
    Machine machine(MachineOptions machine) {
        return scene != null ? scene.machine() : Machine.create(build, machine.runSpec());
    }
}
