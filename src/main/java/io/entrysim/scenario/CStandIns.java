package io.entrysim.scenario;

import io.entrysim.cpu.AddressSpace;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Flags;
import io.entrysim.cpu.Reg;
import io.entrysim.diag.AsmError;
import io.entrysim.exec.StubCallHandler;
import io.entrysim.session.Machine;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Models of the few kernel C functions whose results the entry code depends on, written from
 * what the kernel's C does (not copied): the rest of the C a path calls stays a stub that
 * returns and clobbers what C may clobber. Each function has named models, the first its
 * scenarios' default; {@code --stand-in NAME=MODEL} picks another, and the model {@code stub}
 * leaves the function a plain stub.
 */
final class CStandIns {
    /** {@code sizeof(struct pt_regs)} on x86-64: 21 words. */
    static final int PT_REGS_SIZE = 21 * 8;
    /** {@code pt_regs} offsets (r15 r14 r13 r12 bp bx r11 r10 r9 r8 ax cx dx si di orig_ax ip cs flags sp ss). */
    static final int PT_REGS_BP = 4 * 8, PT_REGS_R11 = 6 * 8, PT_REGS_IP = 16 * 8, PT_REGS_FLAGS = 18 * 8,
            PT_REGS_SP = 19 * 8;
    static final String STUB = "stub";

    /** Function -> its models, the default first (every function also has {@link #STUB}). */
    static final Map<String, List<String>> MODELS = models();

    private static Map<String, List<String>> models() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("sync_regs", List.of("copy"));
        m.put("__x86_return_thunk", List.of("ret"));
        m.put("do_syscall_64", List.of("sysret", "iret"));
        m.put("do_fast_syscall_32", List.of("sysret", "iret"));
        m.put("do_SYSENTER_32", List.of("sysret", "iret"));
        m.put("exc_page_fault", List.of("map"));
        m.put("do_page_fault", List.of("map"));
        return m;
    }

    /** What the models need of the scenario's machine. */
    record Context(long taskStackTop, long landingPad, AddressSpace space) {}

    private CStandIns() {}

    /** Checks {@code choices} (function -> model) against the catalog. */
    static void validate(Map<String, String> choices) {
        choices.forEach((function, model) -> {
            List<String> known = MODELS.get(function);
            if (known == null) {
                throw new AsmError(null, "--stand-in " + function + "=" + model + ": no stand-in for " + function
                        + " (there are: " + String.join(", ", MODELS.keySet()) + ")");
            }
            if (!known.contains(model) && !model.equals(STUB)) {
                throw new AsmError(null, "--stand-in " + function + "=" + model + ": no such model (" + function
                        + " has: " + String.join(", ", known) + ", " + STUB + ")");
            }
        });
    }

    /** Installs every function's model: {@code choices}' where given, else the default. */
    static void install(Machine m, Context context, Map<String, String> choices) {
        for (Map.Entry<String, List<String>> f : MODELS.entrySet()) {
            String model = choices.getOrDefault(f.getKey(), f.getValue().get(0));
            if (!model.equals(STUB)) {
                m.model(f.getKey(), handler(f.getKey(), model, context));
            }
        }
    }

    private static StubCallHandler handler(String function, String model, Context c) {
        return switch (function + "=" + model) {
            case "sync_regs=copy" -> StubCallHandler.returning((stub, cpu) -> syncRegs(cpu, c.taskStackTop()));
            // CONFIG_RETHUNK's RET is `jmp __x86_return_thunk', whose body (in C-built text) is a ret
            case "__x86_return_thunk=ret" -> StubCallHandler.plainReturn();
            // a plain system call: 5.13+'s do_syscall_64 answers "SYSRET may be used" (true); older
            // ones return nothing and the asm decides
            case "do_syscall_64=sysret" -> StubCallHandler.returning((stub, cpu) -> cpu.setReg(Reg.RAX, 1));
            case "do_syscall_64=iret" -> StubCallHandler.returning(CStandIns::declineSysret);
            case "do_fast_syscall_32=sysret", "do_fast_syscall_32=iret" -> StubCallHandler.returning(
                    (stub, cpu) -> fastSyscall32(cpu, c.landingPad(), model.equals("sysret")));
            case "do_SYSENTER_32=sysret", "do_SYSENTER_32=iret" -> StubCallHandler.returning((stub, cpu) -> {
                long regs = cpu.reg(Reg.RDI);
                cpu.memory().poke(regs + PT_REGS_SP, 8, cpu.memory().peek(regs + PT_REGS_BP, 8));
                cpu.memory().poke(regs + PT_REGS_FLAGS, 8, cpu.memory().peek(regs + PT_REGS_FLAGS, 8) | Flags.IF);
                fastSyscall32(cpu, c.landingPad(), model.equals("sysret"));
            });
            case "exc_page_fault=map", "do_page_fault=map" -> (stub, cpu) -> {
                if (c.space() != null) {
                    c.space().mapDemandPage(cpu.cr2());
                }
            };
            default -> throw new IllegalStateException(function + "=" + model);
        };
    }

    /**
     * {@code do_syscall_64} as a system call that leaves its registers unfit for SYSRET (one that
     * rewrote them, as a signal or ptrace may): it returns false, which 5.13+ kernels take as "use
     * IRET", and its saved R11 no longer equals the saved RFLAGS (RF set), which 4.x's asm checks
     * before SYSRET. Either way the exit is IRET, restoring what the frame holds.
     */
    static void declineSysret(io.entrysim.assemble.Insn stub, Cpu cpu) {
        long regs = cpu.reg(Reg.RDI);
        cpu.memory().poke(regs + PT_REGS_R11, 8, cpu.memory().peek(regs + PT_REGS_R11, 8) | Flags.RF);
        cpu.setReg(Reg.RAX, 0);
    }

    /**
     * The 32-bit fast system calls (SYSCALL and SYSENTER from the vDSO's {@code
     * __kernel_vsyscall}). {@code do_fast_syscall_32} returns to the vDSO's {@code
     * int80_landing_pad} (regs->ip), reloads EBP from the user stack where the vDSO pushed it (the
     * fast entries lose it: SYSCALL passes arg2 in EBP, SYSENTER the user ESP) and answers whether
     * SYSRETL may be used. 5.x+'s {@code do_SYSENTER_32} first takes the user ESP from EBP and sets
     * IF in the saved flags (SYSENTER cleared it).
     */
    private static void fastSyscall32(Cpu cpu, long landingPad, boolean sysret) {
        long regs = cpu.reg(Reg.RDI);
        cpu.memory().poke(regs + PT_REGS_IP, 8, landingPad);
        long userSp = cpu.memory().peek(regs + PT_REGS_SP, 8) & 0xffff_ffffL;
        // get_user(*(u32 *)&regs->bp, (u32 __user *)(u32)regs->sp): the low half only
        long bp = cpu.memory().peek(regs + PT_REGS_BP, 8);
        cpu.memory().poke(regs + PT_REGS_BP, 8, (bp & ~0xffff_ffffL) | cpu.memory().peek(userSp, 4));
        cpu.setReg(Reg.RAX, sysret ? 1 : 0);
    }

    /**
     * {@code struct pt_regs *sync_regs(struct pt_regs *eregs)} (arch/x86/kernel/traps.c): the
     * frame an entry from user mode built on the entry stack is copied to the top of the task's
     * stack, and its new address returned, which error_entry makes the stack.
     */
    static void syncRegs(Cpu cpu, long taskStackTop) {
        long from = cpu.reg(Reg.RDI);
        long to = taskStackTop - PT_REGS_SIZE;
        if (to != from) {
            for (int k = 0; k < PT_REGS_SIZE; k += 8) {
                cpu.memory().poke(to + k, 8, cpu.memory().peek(from + k, 8));
            }
        }
        cpu.setReg(Reg.RAX, to);
    }
}
