package io.entrysim.check;

import io.entrysim.options.MachineOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The options an {@code ENTRYSIM-RUN:} line takes: exactly {@code entrysim run}'s build and
 * machine options, through the same picocli mixin, so a RUN line and the command line that
 * reproduces it can never read differently.
 */
@Command(name = "ENTRYSIM-RUN")
final class RunLineOptions {
    @Mixin
    MachineOptions machine = new MachineOptions();
}
