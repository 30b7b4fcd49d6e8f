package io.entrysim.exec;

import static io.entrysim.cpu.Flags.IF;
import static io.entrysim.cpu.Flags.NT;
import static io.entrysim.cpu.Flags.RF;
import static io.entrysim.cpu.Flags.TF;
import static io.entrysim.cpu.Flags.VM;

import io.entrysim.assemble.Insn;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.CpuFault;
import io.entrysim.cpu.Gate;
import io.entrysim.cpu.Memory;
import io.entrysim.cpu.Reg;
import io.entrysim.cpu.Segments;
import io.entrysim.cpu.Tss;
import io.entrysim.cpu.Vectors;
import java.util.OptionalLong;

/**
 * Delivers exceptions, NMIs and interrupts through the IDT as 64-bit mode does (SDM Vol. 3A,
 * 6.12 and 6.14):
 * <ul>
 * <li>the gate gives the handler, its code segment (CPL 0 for Linux's __KERNEL_CS) and an IST
 *     index; no gate stops the run (entrysim's choice: hardware would raise #GP then #DF);
 * <li>the new RSP is IST[n] from the TSS if the gate's IST is not 0, else TSS.RSP0 when the CPL
 *     changes (3 -> 0), else the current RSP; it is aligned down to 16 bytes;
 * <li>SS, RSP, RFLAGS, CS, RIP and the error code (if the vector has one) are pushed as 8-byte
 *     values; on a CPL change SS becomes the null selector with RPL 0;
 * <li>RFLAGS: TF, NT, RF and VM are cleared, and IF too for an interrupt gate; the RFLAGS image
 *     pushed has RF set for a fault (Vol. 3B 18.3.1.1);
 * <li>an NMI sets NMI blocking (until the next IRET).
 * </ul>
 * The TSS and the frame are accessed as supervisor accesses (CS is switched before them), through
 * the memory's access checker. A fault while delivering is handled per Table 6-5: a second
 * contributory fault after a contributory one, or a page fault or contributory fault after a
 * page fault, becomes #DF (error code 0); other pairs are handled serially (the new fault is
 * delivered, with the same saved RIP); a fault while delivering #DF is a triple fault, which
 * stops the run. Frame bytes already written when a push faults stay written.
 */
final class EventDelivery {
    /**
     * An event to deliver. Not a record: the executor {@link #set reuses} one for the events it
     * injects, so a sweep's NMIs allocate nothing; nothing keeps an event after its delivery.
     */
    static final class Event {
        private int vector;
        private boolean hasErrorCode;
        private long errorCode;
        private boolean faultClass;
        private Delivery.Cause cause;
        private CpuFault fault;
        private String during;
        private long injectedAt;

        Event() {}

        Event(int vector, boolean hasErrorCode, long errorCode, boolean faultClass, Delivery.Cause cause,
              CpuFault fault, String during, long injectedAt) {
            set(vector, hasErrorCode, errorCode, faultClass, cause, fault, during, injectedAt);
        }

        /** Becomes the event these say; returns itself. */
        Event set(int vector, boolean hasErrorCode, long errorCode, boolean faultClass, Delivery.Cause cause,
                  CpuFault fault, String during, long injectedAt) {
            this.vector = vector;
            this.hasErrorCode = hasErrorCode;
            this.errorCode = errorCode;
            this.faultClass = faultClass;
            this.cause = cause;
            this.fault = fault;
            this.during = during;
            this.injectedAt = injectedAt;
            return this;
        }

        int vector() {
            return vector;
        }

        boolean hasErrorCode() {
            return hasErrorCode;
        }

        long errorCode() {
            return errorCode;
        }

        boolean faultClass() {
            return faultClass;
        }

        Delivery.Cause cause() {
            return cause;
        }

        CpuFault fault() {
            return fault;
        }

        String during() {
            return during;
        }

        long injectedAt() {
            return injectedAt;
        }

        String label() {
            return Vectors.name(vector) + (cause == Delivery.Cause.INJECTED ? " (injected at step " + injectedAt + ")" : "");
        }
    }

    /** The run must stop: {@link #fault} says why. */
    static final class Stop extends RuntimeException {
        final CpuFault fault;

        Stop(CpuFault fault) {
            super(fault.getMessage(), null, false, false);
            this.fault = fault;
        }
    }

    /** The TSS cannot be read because TR was never loaded: a setup problem, not an exception. */
    private static final class NoTss extends RuntimeException {
        NoTss(String message) {
            super(message, null, false, false);
        }
    }

    private final Cpu cpu;
    private final long[] r;
    private final Memory memory;

    EventDelivery(Cpu cpu) {
        this.cpu = cpu;
        this.r = cpu.gprs();
        this.memory = cpu.memory();
    }

    /**
     * Delivers {@code first} and whatever faults it raises on the way (when {@code nest}; else
     * such a fault stops the run). Returns the delivery that reached a handler when {@code
     * describe} (a listener wants it), else null: a sweep's NMIs allocate no description.
     */
    Delivery deliver(Event first, long savedRip, Insn interrupted, long beforeStep, boolean nest, boolean describe) {
        Event e = first;
        while (true) {
            try {
                return deliverOnce(e, savedRip, interrupted, beforeStep, describe);
            } catch (NoTss t) {
                throw new Stop(new CpuFault("#TS", Vectors.TS, 0, true, OptionalLong.empty(),
                    "fault during delivery of " + e.label() + ": " + t.getMessage()));
            } catch (CpuFault f) {
                if (f.vectorNumber() == Vectors.PF && f.address().isPresent()) {
                    cpu.setCr2(f.address().getAsLong());
                }
                if (!nest) {
                    throw new Stop(annotate(f, "fault during delivery of " + e.label()));
                }
                if (e.vector() == Vectors.DF) {
                    throw new Stop(annotate(f, "triple fault (shutdown): fault during delivery of #DF"));
                }
                String during = e.label();
                if (Vectors.makesDoubleFault(e.vector(), f.vectorNumber())) {
                    e = new Event(Vectors.DF, true, 0, false, Delivery.Cause.NESTED, f, during, -1);
                } else {
                    e = new Event(f.vectorNumber(), f.hasErrorCode(), f.errorCode(), true,
                        Delivery.Cause.NESTED, f, during, -1);
                }
            }
        }
    }

    private Delivery deliverOnce(Event e, long savedRip, Insn interrupted, long beforeStep, boolean describe) {
        int vector = e.vector();
        Gate gate = cpu.idt().gate(vector);
        if (gate == null) {
            throw new Stop(noGate(e, beforeStep));
        }
        if (vector == Vectors.NMI && e.cause() != Delivery.Cause.SOFTWARE) { // int $2 does not block NMIs
            cpu.events().setNmiBlocked(true);
        }
        if (Segments.kind(gate.selector()) != Segments.Kind.CODE64) {
            throw CpuFault.generalProtection((gate.selector() & 0xFFFC) | 1, "IDT gate for " + Vectors.name(vector)
                + ": selector 0x" + Integer.toHexString(gate.selector()) + " is not a 64-bit code segment");
        }
        if (!cpu.isCanonical(gate.handler())) {
            throw CpuFault.generalProtection(1, "IDT gate for " + Vectors.name(vector) + ": handler 0x"
                + Long.toHexString(gate.handler()) + " is not canonical");
        }
        int oldCs = cpu.cs();
        int oldSs = cpu.ss();
        int fromCpl = cpu.cpl();
        long oldRsp = r[Reg.RSP];
        long oldFlags = cpu.rflags();
        boolean oldCompat = cpu.compatMode();
        int newCpl = Segments.dpl(gate.selector());
        boolean cplChange = newCpl < fromCpl;
        cpu.setCs((gate.selector() & ~3) | newCpl); // TSS reads and pushes are supervisor accesses
        try {
            Delivery.Stack stack;
            long top;
            if (gate.ist() != 0) {
                stack = Delivery.Stack.IST;
                top = readTss(Tss.istOffset(gate.ist()), "IST", gate.ist());
            } else if (cplChange) {
                stack = Delivery.Stack.RSP0;
                top = readTss(Tss.rspOffset(newCpl), "RSP", newCpl);
            } else {
                stack = Delivery.Stack.CURRENT;
                top = oldRsp;
            }
            long sp = top & ~0xFL;
            if (!cpu.isCanonical(sp - 8)) {
                throw new CpuFault("#SS", Vectors.SS, 1, true, OptionalLong.empty(), "delivering "
                    + Vectors.name(vector) + " on the non-canonical stack 0x" + Long.toHexString(top));
            }
            long image = oldFlags | (e.faultClass() ? RF : 0);
            sp = push(sp, oldSs & 0xFFFF);
            sp = push(sp, oldRsp);
            sp = push(sp, image);
            sp = push(sp, oldCs & 0xFFFF);
            sp = push(sp, savedRip);
            if (e.hasErrorCode()) {
                sp = push(sp, e.errorCode());
            }
            r[Reg.RSP] = sp;
            if (cplChange) {
                cpu.setSs(newCpl); // null selector, RPL = new CPL
            }
            long cleared = TF | NT | RF | VM | (gate.type() == Gate.Type.INTERRUPT ? IF : 0);
            cpu.setRflags(oldFlags & ~cleared);
            cpu.setRip(gate.handler());
            cpu.setCompatMode(false);
            cpu.events().setInterruptShadow(false);
            if (!describe) {
                return null;
            }
            return new Delivery(beforeStep, vector, e.cause(), e.fault(), e.during(), e.injectedAt(), interrupted,
                savedRip, fromCpl, stack, gate.ist(), top, sp, e.hasErrorCode(), e.hasErrorCode() ? e.errorCode() : 0,
                gate.handler());
        } catch (RuntimeException ex) {
            cpu.setCs(oldCs);
            cpu.setCompatMode(oldCompat);
            throw ex;
        }
    }

    private long push(long sp, long value) {
        memory.write(sp - 8, 8, value);
        return sp - 8;
    }

    private long readTss(int offset, String field, int n) { // the field is named (IST3) only when it fails
        long base = cpu.trBase();
        if (base == 0) {
            throw new NoTss("no TSS loaded (TR base is 0) to read TSS." + field + n + " from");
        }
        return memory.read(base + offset, 8);
    }

    private CpuFault noGate(Event e, long beforeStep) {
        String why = "the IDT has no gate for vector " + e.vector();
        return switch (e.cause()) {
            case FAULT -> e.fault(); // an instruction's fault with nowhere to go: the plain stop
            case NESTED -> annotate(e.vector() == Vectors.DF
                ? new CpuFault("#DF", Vectors.DF, 0, true, OptionalLong.empty(), e.fault().getMessage())
                : e.fault(), "fault during delivery of " + e.during() + "; " + why);
            case INJECTED -> new CpuFault(Vectors.name(e.vector()), e.vector(), e.errorCode(), e.hasErrorCode(),
                OptionalLong.empty(), Vectors.name(e.vector()) + " injected at step " + e.injectedAt()
                    + ", due before step " + beforeStep + ": " + why);
            // as past the IDT limit: #GP(vector * 8 + 2), which stops the run as any gate-less event does
            case SOFTWARE -> CpuFault.generalProtection(e.vector() * 8 + 2, "software interrupt before step "
                + beforeStep + ": " + why);
        };
    }

    /** The same fault with {@code context} in front of its detail. */
    static CpuFault annotate(CpuFault f, String context) {
        String detail = f.detail() == null || f.detail().isEmpty() ? context : context + ": " + f.detail();
        return new CpuFault(f.vector(), f.vectorNumber(), f.errorCode(), f.hasErrorCode(), f.address(), detail);
    }
}
