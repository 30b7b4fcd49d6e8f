package io.entrysim.exec;

import io.entrysim.assemble.Insn;
import io.entrysim.cpu.Cr3Write;
import io.entrysim.cpu.Reg;
import java.util.List;

/**
 * What one instruction did.
 *
 * @param insn the instruction, {@code index} its index, {@code step} its 1-based step number
 *     since {@link Executor#begin}
 * @param registers general-purpose registers whose value changed
 * @param rflagsBefore RFLAGS before, {@code rflagsAfter} after
 * @param memoryWrites every memory write, in order, including those that stored the same bytes
 * @param cr3Writes MOVs to CR3
 * @param otherChanges other state that changed: {@code cr0 cr2 cr4 cr8 fs_base gs_base
 *     kernel_gs_base cs ss} and the MSRs {@code efer star lstar cstar syscall_mask spec_ctrl
 *     sysenter_cs sysenter_esp sysenter_eip tsc_aux}
 * @param ripAfter RIP after the instruction (the next instruction's address)
 */
public record StepEvent(Insn insn, int index, long step, List<RegChange> registers,
                        long rflagsBefore, long rflagsAfter, List<MemWrite> memoryWrites,
                        List<Cr3Write> cr3Writes, List<StateChange> otherChanges, long ripAfter) {

    /** A general-purpose register's value before and after. */
    public record RegChange(int reg, long oldValue, long newValue) {
        public String name() {
            return Reg.name64(reg);
        }
    }

    /** A memory write: the bytes at {@code address} before and after. */
    public record MemWrite(long address, int size, byte[] oldBytes, byte[] newBytes) {
        public long oldValue() {
            return littleEndian(oldBytes);
        }

        public long newValue() {
            return littleEndian(newBytes);
        }

        private static long littleEndian(byte[] b) {
            long v = 0;
            for (int i = b.length - 1; i >= 0; i--) {
                v = (v << 8) | (b[i] & 0xFFL);
            }
            return v;
        }
    }

    /** A named piece of state (control register, segment base or selector) before and after. */
    public record StateChange(String name, long oldValue, long newValue) {}

    public boolean rflagsChanged() {
        return rflagsBefore != rflagsAfter;
    }
}
