package io.entrysim.session;

import io.entrysim.assemble.Insn;
import io.entrysim.assemble.Op;
import io.entrysim.cpu.Reg;
import io.entrysim.assemble.Program;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Cr3Write;
import io.entrysim.exec.ExecOptions;
import io.entrysim.exec.Executor;
import io.entrysim.exec.RunResult;
import io.entrysim.exec.Delivery;
import io.entrysim.exec.StepEvent;
import io.entrysim.exec.StepListener;
import io.entrysim.diag.AsmError;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Runs a built program from its entry to a stop, remembering which instruction wrote CR3. */
public final class Runner {
    private Runner() {}

    public static RunOutcome run(Build build, Cpu cpu, String entry, long maxSteps, StepListener trace) {
        return run(build, cpu, new RunRequest(entry, maxSteps, trace, ExecOptions.DEFAULT, false, List.of()));
    }

    public static RunOutcome run(Build build, Cpu cpu, RunRequest request) {
        Program program = build.program();
        int start = entryIndex(program, request.entry());
        Executor executor = new Executor(program, cpu, request.options());
        for (long step : request.nmiAt()) {
            executor.injectNmiAt(step);
        }
        List<RunOutcome.Cr3WriteAt> writes = new ArrayList<>();
        Insn[] last = new Insn[1];
        StepListener trace = request.trace();
        executor.setListener(new StepListener() {
            @Override
            public void onStep(StepEvent event) {
                for (Cr3Write w : event.cr3Writes()) {
                    writes.add(new RunOutcome.Cr3WriteAt(w, event.insn()));
                }
                last[0] = event.insn();
                if (event.insn().op == Op.STUB && event.insn().text.equals(HOOK_TEXT)) {
                    // the C helper ran: it takes the ASID, the mask holds kern_pcid(asid) = asid + 1
                    long rdi = cpu.reg(Reg.RDI);
                    for (StepEvent.RegChange c : event.registers()) {
                        if (c.reg() == Reg.RDI) {
                            rdi = c.oldValue(); // the argument, before --clobber-calls poisoned it
                        }
                    }
                    long asid = rdi & 0xffff;
                    UserPcidRequests.invalidate(cpu, build, asid + 1, UserPcidRequests.HOOK + "(" + asid + ") at step "
                            + event.step() + " (" + event.insn().origin.pos().fileLine() + ")");
                }
                if (trace != null) {
                    trace.onStep(event);
                }
            }

            @Override
            public void onDelivery(Delivery delivery) {
                if (trace != null) {
                    trace.onDelivery(delivery);
                }
            }
        });
        RunResult r = executor.run(start, request.maxSteps());
        String stop = r.stop().name().toLowerCase(Locale.ROOT).replace('_', '-');
        boolean normal = stop.equals("hlt") || stop.equals("ret") || stop.equals("end");
        if (request.exitToUser() && normal) {
            executor.exitToUser(last[0]);
        }
        return new RunOutcome(stop, r.steps(), r.fault(), r.faultingInsn(), last[0], writes, r.flagViolations(),
                executor.violations(), r.detail());
    }

    private static final String HOOK_TEXT = "<stub " + UserPcidRequests.HOOK + ">";

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
