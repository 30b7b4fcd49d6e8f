package io.entrysim.cli;

import io.entrysim.options.MachineOptions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
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

    @Option(names = "--stand-in", paramLabel = "FUNCTION=MODEL",
            description = "with --scenario: which model of a C function the path calls runs (repeatable): "
                    + "sync_regs=copy, __x86_return_thunk=ret, do_syscall_64=sysret|iret, "
                    + "do_fast_syscall_32=sysret|iret, do_SYSENTER_32=sysret|iret, exc_page_fault=map, "
                    + "do_page_fault=map; any of them =stub (a plain stub). The first model is the default")
    Map<String, String> standIns = new LinkedHashMap<>();

    /** The program, built with {@code machine}'s options. */
    ProgramSource source(MachineOptions machine) {
        return ProgramSource.of(file, scenario, standIns, machine);
    }
}
