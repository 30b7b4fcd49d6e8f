package io.entrysim.check;

import io.entrysim.assemble.Insn;
import io.entrysim.assemble.Op;
import io.entrysim.cpu.AddressSpace;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Cr3Write;
import io.entrysim.cpu.Vectors;
import io.entrysim.exec.Cr3WriteSite;
import io.entrysim.exec.Delivery;
import io.entrysim.exec.StepEvent;
import io.entrysim.exec.StepListener;
import java.util.ArrayList;
import java.util.List;

/**
 * What an NMI sweep needs to know of one run with one NMI: the delivery, the interrupted state
 * (registers, CR3, GS base, and RSP and RFLAGS from the frame the CPU pushed), the state the
 * NMI's IRET gave back, the CR3s the handler ran on, and the CR3 writes split into the
 * handler's and the interrupted program's. {@link #reset()} between runs.
 */
final class NmiRecorder implements StepListener {
    /** A stubbed C function called from the handler, with the CR3 it ran on. */
    record CCall(Insn insn, long cr3) {}

    private static final int RIP = StateValues.NAMES.indexOf("rip");
    private static final int RFLAGS = StateValues.NAMES.indexOf("rflags");
    private static final int RSP = StateValues.NAMES.indexOf("rsp");
    private static final int CS = StateValues.NAMES.indexOf("cs");
    private static final int SS = StateValues.NAMES.indexOf("ss");
    private static final int CPL = StateValues.NAMES.indexOf("cpl");

    private final Cpu cpu;
    Delivery delivery;
    /** Everything {@link StateValues} names, as the NMI interrupted it (in {@link StateValues#NAMES} order). */
    final long[] interrupted = new long[StateValues.NAMES.size()];
    /** The same, right after the IRET back to the interrupted instruction; valid once {@link #resumedBy} is set. */
    final long[] resumed = new long[StateValues.NAMES.size()];
    Insn resumedBy;
    int nmiCount;
    /** Whether the handler was on a kernel CR3 at some boundary (its delivery included). */
    boolean handlerSawKernelCr3;
    final List<CCall> handlerCalls = new ArrayList<>();
    final List<Cr3WriteSite> programCr3Writes = new ArrayList<>();
    private boolean inHandler;

    NmiRecorder(Cpu cpu) {
        this.cpu = cpu;
    }

    void reset() {
        delivery = null;
        resumedBy = null;
        nmiCount = 0;
        handlerSawKernelCr3 = false;
        handlerCalls.clear();
        programCr3Writes.clear();
        inHandler = false;
    }

    @Override
    public void onDelivery(Delivery d) {
        if (d.vector() != Vectors.NMI) {
            return;
        }
        nmiCount++;
        if (delivery != null) {
            return;
        }
        delivery = d;
        inHandler = true;
        StateValues.readInto(cpu, interrupted);
        // delivery has moved RSP, RIP, RFLAGS and CS to the handler's: the frame holds the interrupted ones
        long frame = d.rsp() + (d.hasErrorCode() ? 8 : 0);
        interrupted[RIP] = d.savedRip();
        interrupted[RFLAGS] = cpu.memory().peek(frame + 16, 8);
        interrupted[RSP] = cpu.memory().peek(frame + 24, 8);
        interrupted[CS] = cpu.memory().peek(frame + 8, 8) & 0xffff;
        interrupted[SS] = cpu.memory().peek(frame + 32, 8) & 0xffff;
        interrupted[CPL] = d.fromCpl();
        handlerSawKernelCr3 = !AddressSpace.isUserView(cpu.cr3());
    }

    @Override
    public void onStep(StepEvent e) {
        if (!inHandler) {
            for (Cr3Write w : e.cr3Writes()) {
                programCr3Writes.add(new Cr3WriteSite(w, e.insn()));
            }
            return;
        }
        if (e.insn().op == Op.STUB) {
            handlerCalls.add(new CCall(e.insn(), cpu.cr3()));
        }
        if (e.insn().op == Op.IRET && cpu.rip() == delivery.savedRip()) {
            inHandler = false;
            StateValues.readInto(cpu, resumed);
            resumedBy = e.insn();
            return;
        }
        handlerSawKernelCr3 |= !AddressSpace.isUserView(cpu.cr3());
    }
}
