package io.entrysim.exec;

import io.entrysim.cpu.Cr3Write;
import io.entrysim.cpu.PersistentLog;
import io.entrysim.assemble.Insn;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Msr;
import io.entrysim.cpu.Reg;
import java.util.ArrayList;
import java.util.List;

/** Captures state before an instruction and builds the {@link StepEvent} after it (listener only). */
final class StepRecorder {
    private static final int FIXED_OTHERS = 9;
    /** Fixed state, then the stored MSRs by their Linux names in lower case (efer, lstar, spec_ctrl, ...). */
    private static final String[] OTHER_NAMES = otherNames();

    private static String[] otherNames() {
        String[] names = new String[FIXED_OTHERS + Msr.STORED];
        System.arraycopy(new String[] {"cr0", "cr2", "cr4", "cr8", "fs_base", "gs_base", "kernel_gs_base", "cs", "ss"},
            0, names, 0, FIXED_OTHERS);
        for (int i = 0; i < Msr.STORED; i++) {
            names[FIXED_OTHERS + i] = Msr.name(Msr.indexOfSlot(i)).replace("IA32_", "").toLowerCase(java.util.Locale.ROOT);
        }
        return names;
    }

    private final Cpu cpu;
    private final Datapath datapath;
    private final long[] gprsBefore = new long[Reg.COUNT];
    private final long[] otherBefore = new long[OTHER_NAMES.length];
    private long rflagsBefore;
    private PersistentLog<Cr3Write> cr3Before;

    StepRecorder(Cpu cpu, Datapath datapath) {
        this.cpu = cpu;
        this.datapath = datapath;
    }

    void before() {
        System.arraycopy(cpu.gprs(), 0, gprsBefore, 0, Reg.COUNT);
        others(otherBefore);
        rflagsBefore = cpu.rflags();
        cr3Before = cpu.cr3Log();
        datapath.writes = new ArrayList<>(2);
    }

    void abandon() {
        datapath.writes = null;
    }

    StepEvent after(Insn insn, int index, long step) {
        List<StepEvent.RegChange> regs = new ArrayList<>(2);
        long[] now = cpu.gprs();
        for (int i = 0; i < Reg.COUNT; i++) {
            if (now[i] != gprsBefore[i]) {
                regs.add(new StepEvent.RegChange(i, gprsBefore[i], now[i]));
            }
        }
        long[] otherNow = new long[OTHER_NAMES.length];
        others(otherNow);
        List<StepEvent.StateChange> other = new ArrayList<>(0);
        for (int i = 0; i < OTHER_NAMES.length; i++) {
            if (otherNow[i] != otherBefore[i]) {
                other.add(new StepEvent.StateChange(OTHER_NAMES[i], otherBefore[i], otherNow[i]));
            }
        }
        List<StepEvent.MemWrite> writes = datapath.writes;
        datapath.writes = null;
        return new StepEvent(insn, index, step, List.copyOf(regs), rflagsBefore, cpu.rflags(),
            List.copyOf(writes), cpu.cr3Log().since(cr3Before), List.copyOf(other), cpu.rip());
    }

    private void others(long[] into) {
        into[0] = cpu.cr0();
        into[1] = cpu.cr2();
        into[2] = cpu.cr4();
        into[3] = cpu.cr8();
        into[4] = cpu.fsBase();
        into[5] = cpu.gsBase();
        into[6] = cpu.kernelGsBase();
        into[7] = cpu.cs();
        into[8] = cpu.ss();
        for (int i = 0; i < Msr.STORED; i++) {
            into[FIXED_OTHERS + i] = cpu.msr(Msr.indexOfSlot(i));
        }
    }
}
