package io.entrysim.session;

import io.entrysim.assemble.Insn;
import io.entrysim.assemble.Program;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Cr3Write;
import io.entrysim.exec.ExecOptions;
import io.entrysim.exec.Executor;
import io.entrysim.exec.RunResult;
import io.entrysim.exec.StepListener;
import io.entrysim.source.AsmError;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Runs a built program from its entry to a stop, remembering which instruction wrote CR3. */
public final class Runner {
    private Runner() {}

    public static RunOutcome run(Build build, Cpu cpu, String entry, long maxSteps, StepListener trace) {
        return run(build, cpu, entry, maxSteps, trace, ExecOptions.DEFAULT, false);
    }

    /**
     * @param exitToUser the end of the run stands for a return to user mode (checked for lost
     *     flushes like a sysret/iret to CPL 3 inside the run is)
     */
    public static RunOutcome run(Build build, Cpu cpu, String entry, long maxSteps, StepListener trace,
                                 ExecOptions options, boolean exitToUser) {
        Program program = build.program();
        int start = entryIndex(program, entry);
        Executor executor = new Executor(program, cpu, options);
        List<RunOutcome.Cr3WriteAt> writes = new ArrayList<>();
        Insn[] last = new Insn[1];
        executor.setListener(event -> {
            for (Cr3Write w : event.cr3Writes()) {
                writes.add(new RunOutcome.Cr3WriteAt(w, event.insn()));
            }
            last[0] = event.insn();
            if (trace != null) {
                trace.onStep(event);
            }
        });
        RunResult r = executor.run(start, maxSteps);
        String stop = r.stop().name().toLowerCase(Locale.ROOT).replace('_', '-');
        boolean normal = stop.equals("hlt") || stop.equals("ret") || stop.equals("end");
        if (exitToUser && normal) {
            executor.exitToUser(last[0]);
        }
        return new RunOutcome(stop, r.steps(), r.fault(), r.faultingInsn(), last[0], writes, r.flagViolations(),
                executor.violations());
    }

    /** The first instruction, or the one at {@code --entry LABEL}. */
    static int entryIndex(Program program, String entry) {
        if (entry == null) {
            return 0;
        }
        Long addr = program.symbols().get(entry);
        if (addr == null) {
            throw new AsmError(null, "--entry: no symbol `" + entry + "' in the program");
        }
        int index = program.indexOf(addr);
        if (index < 0) {
            throw new AsmError(null, "--entry: `" + entry + "' is not the address of an instruction");
        }
        return index;
    }
}
