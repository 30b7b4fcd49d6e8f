package io.entrysim.golden;

import io.entrysim.assemble.Insn;
import io.entrysim.assemble.Op;
import io.entrysim.cpu.AccessChecker;
import io.entrysim.cpu.AccessKind;
import io.entrysim.cpu.AddressSpace;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Cr3Write;
import io.entrysim.cpu.Reg;
import io.entrysim.exec.Delivery;
import io.entrysim.exec.StepEvent;
import io.entrysim.exec.StepListener;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a run through the entry code did, as the tests check it: CR3 writes with the instruction
 * that made them, calls into stubbed C functions with the machine state the C code would have
 * seen, event deliveries, IRETs, and every data access made while the user page tables were in
 * force (seen by wrapping the machine's access check, so reads count too). {@link #reset()}
 * between runs of a sweep.
 */
final class EntryRecorder implements StepListener {
    record Cr3WriteAt(Cr3Write write, Insn insn, long step) {}

    /** A stubbed C function as it was entered: CR3, GS base, RSP (at the return address), first two arguments. */
    record CCall(String function, long step, long cr3, long gsBase, long rsp, long rdi, long rsi) {}

    /** A data access under the user CR3. */
    record Access(AccessKind kind, long address, int size, int cpl) {}

    /** An IRET as it completed: where it went and the state it left. */
    record IretAt(long step, long rip, long cr3, long gsBase, long rsp, int cs, long rflags) {}

    final List<Cr3WriteAt> cr3Writes = new ArrayList<>();
    final List<CCall> calls = new ArrayList<>();
    final List<Delivery> deliveries = new ArrayList<>();
    final List<IretAt> irets = new ArrayList<>();
    final List<Access> userCr3Accesses = new ArrayList<>();
    /** CR3 when each delivery happened (same order as {@link #deliveries}). */
    final List<Long> cr3AtDelivery = new ArrayList<>();
    final List<Long> gsAtDelivery = new ArrayList<>();
    /** The interrupted RSP, read from the frame the CPU pushed (RIP CS RFLAGS RSP SS, no error code). */
    final List<Long> rspAtDelivery = new ArrayList<>();
    /** Per step (index step-1): the instruction, and CR3, GS base and CPL after it. */
    final List<Insn> insns = new ArrayList<>();
    final List<Long> cr3After = new ArrayList<>();
    final List<Long> gsAfter = new ArrayList<>();
    final List<Integer> cplAfter = new ArrayList<>();

    private final Cpu cpu;
    private Consumer<CCall> onCall = c -> { };

    EntryRecorder(Cpu cpu) {
        this.cpu = cpu;
        AccessChecker inner = cpu.memory().accessChecker();
        cpu.memory().setAccessChecker((address, size, kind) -> {
            if (kind != AccessKind.FETCH && AddressSpace.isUserView(cpu.cr3())) {
                userCr3Accesses.add(new Access(kind, address, size, cpu.cpl()));
            }
            if (inner != null) {
                inner.check(address, size, kind);
            }
        });
    }

    Cpu cpu() {
        return cpu;
    }

    /** Runs {@code action} when a stubbed C function is entered (e.g. the C side changing page tables). */
    EntryRecorder onCall(Consumer<CCall> action) {
        this.onCall = action;
        return this;
    }

    void reset() {
        cr3Writes.clear();
        calls.clear();
        deliveries.clear();
        irets.clear();
        userCr3Accesses.clear();
        cr3AtDelivery.clear();
        gsAtDelivery.clear();
        rspAtDelivery.clear();
        insns.clear();
        cr3After.clear();
        gsAfter.clear();
        cplAfter.clear();
    }

    @Override
    public void onStep(StepEvent e) {
        insns.add(e.insn());
        cr3After.add(cpu.cr3());
        gsAfter.add(cpu.gsBase());
        cplAfter.add(cpu.cpl());
        for (Cr3Write w : e.cr3Writes()) {
            cr3Writes.add(new Cr3WriteAt(w, e.insn(), e.step()));
        }
        if (e.insn().op == Op.STUB) {
            String name = e.insn().text.substring("<stub ".length(), e.insn().text.length() - 1);
            // the stub has returned (and may have clobbered): take RSP, RDI, RSI as they were before it
            CCall c = new CCall(name, e.step(), cpu.cr3(), cpu.gsBase(), before(e, Reg.RSP), before(e, Reg.RDI),
                    before(e, Reg.RSI));
            calls.add(c);
            onCall.accept(c);
        }
        if (e.insn().op == Op.IRET) {
            irets.add(new IretAt(e.step(), cpu.rip(), cpu.cr3(), cpu.gsBase(), cpu.reg(Reg.RSP), cpu.cs(), cpu.rflags()));
        }
    }

    @Override
    public void onDelivery(Delivery d) {
        deliveries.add(d);
        cr3AtDelivery.add(cpu.cr3());
        gsAtDelivery.add(cpu.gsBase());
        rspAtDelivery.add(cpu.memory().peek(d.rsp() + (d.hasErrorCode() ? 32 : 24), 8));
    }

    private long before(StepEvent e, int reg) {
        for (StepEvent.RegChange c : e.registers()) {
            if (c.reg() == reg) {
                return c.oldValue();
            }
        }
        return cpu.reg(reg);
    }

    /** The index (in {@link #deliveries} and the lists beside it) of the one NMI delivered. */
    int nmi() {
        int found = -1;
        for (int i = 0; i < deliveries.size(); i++) {
            if (deliveries.get(i).vector() == 2) {
                if (found >= 0) {
                    throw new AssertionError("more than one NMI: " + deliveries);
                }
                found = i;
            }
        }
        if (found < 0) {
            throw new AssertionError("no NMI delivered: " + deliveries);
        }
        return found;
    }

    List<CCall> callsTo(String function) {
        return calls.stream().filter(c -> c.function().equals(function)).toList();
    }

    /** The CR3 write sites as {@code line of entry_64.S that invoked the macro}, in order. */
    List<Integer> cr3WriteLines() {
        List<Integer> out = new ArrayList<>();
        for (Cr3WriteAt w : cr3Writes) {
            out.add(EntryRecorder.entryLine(w.insn()));
        }
        return out;
    }

    /** The line of entry_64.S an instruction came from: its own line, or the outermost macro call there. */
    static int entryLine(Insn insn) {
        int line = insn.origin.pos().file().endsWith("entry_64.S") ? insn.origin.pos().line() : -1;
        for (var site : insn.origin.macroChain()) {
            if (site.at().file().endsWith("entry_64.S")) {
                line = site.at().line();
            }
        }
        return line;
    }
}
