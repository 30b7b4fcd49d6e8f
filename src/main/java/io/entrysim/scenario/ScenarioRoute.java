package io.entrysim.scenario;

import io.entrysim.assemble.Op;
import io.entrysim.cpu.Reg;
import io.entrysim.cpu.Vectors;
import java.util.List;

/**
 * What one scenario runs: the user-side driver's code, the event that enters the kernel, where
 * control comes back, and which registers the path's ABI lets the kernel change.
 *
 * @param userCode the driver's lines, from {@link EntryScenario#USER_ENTRY} on
 * @param clobbered registers (by {@link Reg} number) the ABI lets the path change
 * @param vector the event's vector, or -1 for SYSCALL/SYSENTER (no vector)
 * @param injectBefore the step the event is injected before (an NMI or external interrupt), or 0
 *     when the driver's own instruction raises it (SYSCALL, SYSENTER, {@code int $0x80}, {@code
 *     int1}, a faulting access)
 * @param returnOffset where control comes back: bytes from the driver's start
 * @param kernelContext the driver runs at CPL 0 (in {@code .text}), not as a user task
 * @param compat the driver is a 32-bit user (compatibility mode)
 * @param exit the instruction the path must leave the kernel by
 * @param syscallAbi SYSCALL/SYSRET's RCX and R11 (or SYSRETL's ECX) are part of the return checks
 * @param statusFlagsKept the path returns the status flags (CF PF AF ZF SF OF) as they were; not
 *     so for SYSENTER, which saves no flags: the kernel's {@code pushfq} comes after its CR3
 *     switch changed them, and the vDSO's {@code __kernel_vsyscall}, a function, need not keep them
 */
record ScenarioRoute(List<String> userCode, List<Integer> clobbered, int vector, long injectBefore, int returnOffset,
                     boolean kernelContext, boolean compat, Op exit, boolean syscallAbi, boolean statusFlagsKept) {
    /** IA32_SYSCALL_VECTOR: raised by the user's own int $0x80. */
    static final int INT80 = 0x80;
    /** The external interrupt irq-* raise: the first one, 0x20 (irq_entries_start's first stub in every era). */
    static final int IRQ_VECTOR = 0x20;
    /** The driver's page that is not present until the fault handler maps it (pf-*). */
    static final String DEMAND_PAGE = "entrysim_demand_page";
    /** The vDSO's int80_landing_pad, where a 32-bit SYSENTER returns (the C sets regs->ip to it). */
    static final String LANDING_PAD = "entrysim_int80_landing_pad";

    static ScenarioRoute of(String name) {
        List<String> nops = List.of("nop", "nop", "nop", "nop");
        List<Integer> abi64 = List.of(Reg.RAX, Reg.RCX, Reg.R11);
        // a 32-bit user's registers are EAX..EDI; R8-R15 are not its ABI's
        List<Integer> compatClobbered = List.of(Reg.RAX, Reg.RCX, Reg.R11, Reg.R8, Reg.R9, Reg.R10,
                Reg.R12, Reg.R13, Reg.R14, Reg.R15);
        return switch (name) {
            // SYSCALL returns to the byte after it, with RAX (the result), RCX and R11 as the ABI says
            case "syscall" -> new ScenarioRoute(List.of("syscall"), abi64, -1, 0, 2, false, false, Op.SYSRET, true, true);
            // the same SYSCALL, the C side declining SYSRET: back by IRET, the same ABI
            case "syscall-iret" -> new ScenarioRoute(List.of("syscall"), abi64, -1, 0, 2, false, false, Op.IRET, true, true);
            // the vDSO's SYSCALL (arg2 moved to EBP, EBP on the stack), through CSTAR: back by SYSRETL to
            // the landing pad after the int $0x80 that follows it, ECX the landing pad
            case "compat-syscall" -> new ScenarioRoute(List.of("syscall", "int $0x80", LANDING_PAD + ":"),
                    compatClobbered, -1, 0, 4, false, true, Op.SYSRET, true, true);
            // the vDSO's SYSENTER (ESP saved in EBP, EBP on the stack): back by SYSRETL to the landing
            // pad after the int $0x80 that follows it, ECX the landing pad
            case "compat-sysenter" -> new ScenarioRoute(List.of("sysenter", "int $0x80", LANDING_PAD + ":"),
                    compatClobbered, -1, 0, 4, false, true, Op.SYSRET, true, false);
            // a 32-bit user's int $0x80 (a DPL-3 gate), back by IRET: every 32-bit register but EAX kept
            case "compat-int80" -> new ScenarioRoute(List.of("int $0x80"), List.of(Reg.RAX, Reg.R8, Reg.R9, Reg.R10,
                    Reg.R11, Reg.R12, Reg.R13, Reg.R14, Reg.R15), INT80, 0, 2, false, true, Op.IRET, false, true);
            // an interrupt before the second NOP returns there with every register as it was
            case "irq-user" -> new ScenarioRoute(nops, List.of(), IRQ_VECTOR, 2, 1, false, false, Op.IRET, false, true);
            case "irq-kernel" -> new ScenarioRoute(nops, List.of(), IRQ_VECTOR, 2, 1, true, false, Op.IRET, false, true);
            // a read of a page not present yet: the handler maps it and the read is retried
            case "pf-user" -> new ScenarioRoute(List.of("movq " + DEMAND_PAGE + ", %rax"), List.of(), Vectors.PF, 0, 0,
                    false, false, Op.IRET, false, true);
            // the kernel touching user memory, as copy_from_user does (RFLAGS.AC set: SMAP opened)
            case "pf-kernel" -> new ScenarioRoute(List.of("movq " + DEMAND_PAGE + ", %rax"), List.of(),
                    Vectors.PF, 0, 0, true, false, Op.IRET, false, true);
            case "nmi-user" -> new ScenarioRoute(nops, List.of(), Vectors.NMI, 2, 1, false, false, Op.IRET, false, true);
            case "nmi-kernel" -> new ScenarioRoute(nops, List.of(), Vectors.NMI, 2, 1, true, false, Op.IRET, false, true);
            // int1 in the kernel: #DB, a trap, on its IST stack through the paranoid entry
            case "db-kernel" -> new ScenarioRoute(List.of("nop", "int1", "nop", "nop"), List.of(), Vectors.DB, 0, 2,
                    true, false, Op.IRET, false, true);
            default -> throw new IllegalStateException(name);
        };
    }

    boolean isNmi() {
        return vector == Vectors.NMI;
    }

    /** The event is injected (an NMI or an external interrupt), not raised by the driver's own instruction. */
    boolean injected() {
        return injectBefore > 0;
    }
}
