package io.entrysim.cli;

import io.entrysim.options.MachineOptions;
import io.entrysim.debug.Debugger;
import io.entrysim.diag.AsmError;
import io.entrysim.diag.AsmWarning;
import io.entrysim.session.Build;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code entrysim debug FILE.S}: build as {@code run} does, then debug the machine with gdb's
 * commands: interactively (JLine: history, tab completion, Ctrl-C), from {@code -x} files, or
 * from standard input with {@code --batch}.
 */
@Command(name = "debug", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = "Debug FILE.S with gdb's commands, stepping through macro expansions (and backwards).")
public final class DebugCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ProgramArguments program;

    @Mixin
    MachineOptions machine;

    @Option(names = "-x", paramLabel = "FILE", description = "run the debugger commands in FILE first; repeatable")
    List<Path> scripts = new ArrayList<>();

    @Option(names = "--batch", description = "read commands from standard input (no prompt, no line editing) and exit at its end; exit status 1 when the last command failed")
    boolean batch;

    private final InputStream in;

    public DebugCommand() {
        this(System.in);
    }

    /** With the standard input the batch mode reads (tests give their own). */
    DebugCommand(InputStream in) {
        this.in = in;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        for (Path script : scripts) {
            if (!Files.isRegularFile(script)) {
                throw new AsmError(null, "-x " + script + ": No such file");
            }
        }
        ProgramSource source = program.source(machine);
        Build build = source.build();
        String name = source.name();
        build.printed().forEach(out::println);
        for (AsmWarning w : build.warnings()) {
            err.println(w.format());
        }
        Debugger dbg = new Debugger(source.machine(machine));
        if (source.scene() != null) {
            // a scenario's run ends where control is back in the interrupted context, as `run' ends it
            dbg.stopWhen(source.scene().returned(), source.scene().returnReason());
        }
        GdbCommands commands = new GdbCommands(dbg, build, name, out,
                source.scene() == null ? java.util.Map.of() : source.scene().driverSources());
        out.println("entrysim debug: " + name + ", " + build.program().code().length
                + " instructions; the machine stands at the first one (`help' lists the commands).");
        commands.showLocation();
        boolean ok = true;
        for (Path script : scripts) {
            for (String line : Files.readAllLines(script, StandardCharsets.UTF_8)) {
                ok = commands.execute(line);
                if (commands.quitRequested()) {
                    return ok ? 0 : 1;
                }
            }
        }
        if (batch) {
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            try {
                while ((line = reader.readLine()) != null) {
                    // an empty line in a script is not "repeat the last command" as typed at a prompt
                    if (!line.isBlank()) {
                        ok = commands.execute(line);
                    }
                    if (commands.quitRequested()) {
                        break;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return ok ? 0 : 1;
        }
        if (!scripts.isEmpty() && commands.quitRequested()) {
            return 0;
        }
        DebugConsole.run(dbg, build, commands, out);
        return 0;
    }
}
