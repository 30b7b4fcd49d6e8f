package io.entrysim.diff;

import io.entrysim.assemble.Assembler;
import io.entrysim.assemble.AssemblerConfig;
import io.entrysim.assemble.Program;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Reg;
import io.entrysim.diff.Programs.FinalState;
import io.entrysim.diff.Programs.GenProgram;
import io.entrysim.exec.ExecOptions;
import io.entrysim.exec.Executor;
import io.entrysim.exec.FlagViolation;
import io.entrysim.exec.RunResult;
import io.entrysim.exec.StopReason;
import io.entrysim.parse.Statement;
import io.entrysim.parse.StatementParser;
import io.entrysim.diag.AsmError;
import io.entrysim.diag.Origin;
import io.entrysim.source.SourceLine;
import io.entrysim.diag.SourcePos;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Runs a batch of programs in entrysim: the whole batch is parsed and assembled once, then each program runs from its entry label on a user-mode CPU
 * (CPL 3, as the native process) with the buffer loaded, in strict-flags mode so that a program
 * reading an undefined flag is reported rather than compared.
 */
final class EntrysimHarness {
    private static final long MAX_STEPS = 100_000;

    private EntrysimHarness() {}

    /**
     * The front end minus cpp and macro expansion (generated programs use neither; skipping them
     * saves a quarter of the time): parse every line, assemble with the default layout.
     */
    static Program assemble(String text) {
        StatementParser parser = new StatementParser();
        List<Statement> statements = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            statements.addAll(parser.parse(new SourceLine(lines[i], Origin.at(new SourcePos("diff-batch.S", i + 1, 1)))));
        }
        return new Assembler(AssemblerConfig.defaults((name, perCpu) -> null)).assemble(statements);
    }

    static List<FinalState> run(List<GenProgram> batch) {
        String text = BatchSource.programs(batch) + "program_exit:\n";
        Program program;
        try {
            program = assemble(text);
        } catch (AsmError e) {
            int line = e.origin() == null ? -1 : e.origin().pos().line();
            int which = line < 0 ? -1 : BatchSource.programAtLine(text, line);
            String source = line > 0 ? text.split("\n", -1)[line - 1] : "?";
            throw new AssertionError("entrysim rejects a generated program (seed "
                + (which >= 0 ? Long.toUnsignedString(batch.get(which).seed()) : "?") + "): " + e.format()
                + "\n  line: " + source.strip());
        }
        Cpu cpu = new Cpu();
        cpu.setCs(Cpu.USER_CS);
        cpu.setSs(Cpu.USER_SS);
        Executor executor = new Executor(program, cpu, ExecOptions.STRICT_FLAGS);
        List<FinalState> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            GenProgram p = batch.get(i);
            int start = program.indexOf(program.symbols().get(BatchSource.entryLabel(i)));
            long[] r = cpu.gprs();
            System.arraycopy(p.initial().regs(), 0, r, 0, Reg.COUNT);
            cpu.setRflags(p.initial().rflags());
            cpu.setUndefinedFlags(0);
            cpu.memory().writeBytes(DiffLayout.BUFFER_BASE, DiffLayout.initialBuffer(p.initial().bufferSeed()));
            RunResult result = start < 0 ? null : executor.run(start, MAX_STEPS);
            String problem = null;
            if (result == null) {
                problem = "entry label missing";
            } else if (result.stop() != StopReason.END) {
                problem = "entrysim stopped: " + result;
            } else if (!result.flagViolations().isEmpty()) {
                problem = "entrysim strict flags: " + result.flagViolations().stream()
                    .map(FlagViolation::message).collect(Collectors.joining("; "));
            }
            out.add(new FinalState(r.clone(), cpu.rflags(),
                cpu.memory().readBytes(DiffLayout.BUFFER_BASE, DiffLayout.BUFFER_SIZE), cpu.undefinedFlags(), problem));
        }
        return out;
    }
}
