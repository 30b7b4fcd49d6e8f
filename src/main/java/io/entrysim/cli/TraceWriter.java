package io.entrysim.cli;

import io.entrysim.assemble.Decoded;
import io.entrysim.assemble.Insn;
import io.entrysim.assemble.MachineCodeDecoder;
import io.entrysim.cpu.Memory;
import io.entrysim.cpu.Cr3Write;
import io.entrysim.exec.StepEvent;
import io.entrysim.exec.StepListener;
import io.entrysim.diag.Locations;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code run --trace}: one line per executed instruction — step, address, the machine code as
 * {@code objdump -d} prints it, the instruction as the source wrote it after expansion, where it
 * came from (file:line, then the macro chain innermost first), and what it changed.
 */
final class TraceWriter implements StepListener {
    private final PrintWriter out;
    private final Memory memory;

    TraceWriter(PrintWriter out, Memory memory) {
        this.out = out;
        this.memory = memory;
    }

    @Override
    public void onStep(StepEvent e) {
        Insn insn = e.insn();
        String machine = objdump(insn);
        String source = machine.equals(insn.text) ? "" : insn.text;
        out.printf("%6d  0x%016x  %-30s %-34s %s%s%n", e.step(), insn.address, machine, source, origin(insn),
                changes(e).isEmpty() ? "" : "  | " + String.join(" ", changes(e)));
    }

    /** The bytes at the instruction's address as objdump -d prints them (stubs have none). */
    private String objdump(Insn insn) {
        if (insn.stubSymbol != null) {
            return insn.text;
        }
        Decoded d = MachineCodeDecoder.decode(a -> (int) memory.peek(a, 1), insn.address);
        return d instanceof Decoded.Instruction i ? i.insn().text : "(bad)";
    }

    @Override
    public void onDelivery(io.entrysim.exec.Delivery d) {
        out.println("        >>> " + d.describe());
    }

    static String origin(Insn insn) {
        return Locations.withChain(insn.origin);
    }

    static List<String> changes(StepEvent e) {
        List<String> out = new ArrayList<>();
        for (StepEvent.RegChange r : e.registers()) {
            out.add(r.name() + "=0x" + Long.toHexString(r.newValue()));
        }
        if (e.rflagsChanged()) {
            out.add("rflags=0x" + Long.toHexString(e.rflagsAfter()) + RegisterFormat.eflags(e.rflagsAfter()));
        }
        for (StepEvent.MemWrite w : e.memoryWrites()) {
            out.add(String.format("mem[0x%x]:%d=0x%x", w.address(), w.size(), w.newValue())
                    + (w.oldValue() == w.newValue() ? "(same)" : ""));
        }
        for (Cr3Write w : e.cr3Writes()) {
            out.add(String.format("cr3<-0x%x(%s)", w.valueWritten(), w.noFlush() ? "no-flush" : "flush"));
        }
        for (StepEvent.StateChange c : e.otherChanges()) {
            out.add(c.name() + "=0x" + Long.toHexString(c.newValue()));
        }
        return out;
    }
}
