package io.entrysim.session;

import io.entrysim.assemble.Program;
import io.entrysim.diag.AsmWarning;
import io.entrysim.source.Preprocessor;
import io.entrysim.source.SourceLine;
import java.util.List;
import java.util.Map;

/**
 * The result of the front end: the decoded program plus what a front door reports about how it
 * was made (expanded statements for listings, per-CPU symbols allocated on use, undefined symbols
 * given stubs, warnings, and what {@code .print} printed).
 *
 * @param bootPatches one line per code site patched as the kernel patches itself at boot
 *     (alternatives, static branches), in the order applied; empty for shim builds
 * @param printed the texts of the program's {@code .print} directives, in order: gas writes each
 *     to standard output as is, followed by a newline (not as a warning)
 */
public record Build(Program program, Preprocessor cpp, List<SourceLine> statements,
                    Map<String, Long> autoPerCpu, Map<String, Long> externals, List<AsmWarning> warnings,
                    List<String> printed, BuildOptions options, List<String> bootPatches) {}
