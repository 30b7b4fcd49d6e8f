package io.entrysim.cli;

import io.entrysim.options.MachineOptions;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What a command runs: FILE.S, or {@code --scenario NAME} (a kernel tree's own entry path). A picocli mixin. */
public final class ProgramArguments {
    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE.S",
            description = "the assembly source (cpp + GNU as syntax); not with --scenario")
    Path file;

    @Option(names = "--scenario", paramLabel = "NAME",
            description = "instead of FILE.S, one of the kernel tree's real entry paths (with --kernel-tree), end to end, with checks of what it returns to: syscall, syscall-iret, compat-syscall, compat-sysenter, compat-int80, irq-user, irq-kernel, pf-user, pf-kernel, nmi-user, nmi-kernel, db-kernel")
    String scenario;

    /** The program, built with {@code machine}'s options. */
    ProgramSource source(MachineOptions machine) {
        return ProgramSource.of(file, scenario, machine);
    }
}
