package io.entrysim.exec;

import io.entrysim.assemble.Operand;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.CpuFault;
import io.entrysim.cpu.Canonical;
import io.entrysim.cpu.Memory;
import io.entrysim.cpu.Reg;
import java.util.List;

/**
 * Operand access: register reads/writes with x86-64 width rules, effective addresses with FS/GS
 * bases, and memory accesses (optionally recording every write for a {@link StepListener}).
 */
final class Datapath {
    private final Cpu cpu;
    private final long[] r;
    private final Memory memory;
    /** Non-null while a listener wants this step's memory writes. */
    List<StepEvent.MemWrite> writes;

    Datapath(Cpu cpu) {
        this.cpu = cpu;
        this.r = cpu.gprs();
        this.memory = cpu.memory();
    }

    /** Reads an operand as a zero-extended value; memory and immediates at {@code size} bytes. */
    long read(Operand o, int size) {
        if (o instanceof Operand.Gpr g) {
            return readReg(g);
        }
        if (o instanceof Operand.Imm i) {
            return i.value() & Alu.mask(size);
        }
        if (o instanceof Operand.Mem m) {
            return memory.read(address(m), size);
        }
        throw unsupported(o);
    }

    /** Writes an operand; registers by their own width, memory at {@code size} bytes. */
    void write(Operand o, int size, long value) {
        if (o instanceof Operand.Gpr g) {
            writeReg(g, value);
        } else if (o instanceof Operand.Mem m) {
            store(address(m), size, value);
        } else {
            throw unsupported(o);
        }
    }

    long readReg(Operand.Gpr g) {
        long v = r[g.reg()];
        return switch (g.size()) {
            case 8 -> v;
            case 4 -> v & 0xFFFF_FFFFL;
            case 2 -> v & 0xFFFFL;
            default -> g.highByte() ? (v >>> 8) & 0xFF : v & 0xFF;
        };
    }

    /** 32-bit writes zero-extend to 64 bits; 16- and 8-bit writes merge (SDM Vol. 1, 3.4.1.1). */
    void writeReg(Operand.Gpr g, long value) {
        int n = g.reg();
        switch (g.size()) {
            case 8 -> r[n] = value;
            case 4 -> r[n] = value & 0xFFFF_FFFFL;
            case 2 -> r[n] = (r[n] & ~0xFFFFL) | (value & 0xFFFFL);
            default -> r[n] = g.highByte()
                ? (r[n] & ~0xFF00L) | ((value & 0xFF) << 8)
                : (r[n] & ~0xFFL) | (value & 0xFF);
        }
    }

    /**
     * Linear address: segment base (FS/GS; others are 0 in 64-bit mode) + offset. A non-canonical
     * one faults here: #SS(0) if it references the stack segment (RSP/RBP base, no FS/GS
     * override), else #GP(0).
     */
    long address(Operand.Mem m) {
        long a = offset(m);
        int seg = m.seg();
        if (seg == Operand.Mem.SEG_GS) {
            a += cpu.gsBase();
        } else if (seg == Operand.Mem.SEG_FS) {
            a += cpu.fsBase();
        }
        if (!Canonical.isCanonical(a)) {
            throw Canonical.nonCanonical(a, 1,
                seg == Operand.Mem.SEG_NONE && (m.base() == Reg.RSP || m.base() == Reg.RBP));
        }
        return a;
    }

    /** Effective address without segment base (what LEA computes). */
    long offset(Operand.Mem m) {
        long a = m.disp();
        if (m.base() >= 0) {
            a += r[m.base()];
        }
        if (m.index() >= 0) {
            a += r[m.index()] * m.scale();
        }
        return a;
    }

    long load(long address, int size) {
        return memory.read(address, size);
    }

    /** An implicit stack read (POP, POPF, RET): a non-canonical address is #SS(0). */
    long stackLoad(long address, int size) {
        Canonical.check(address, size, true);
        return memory.read(address, size);
    }

    /** An implicit stack write (PUSH, PUSHF, CALL): a non-canonical address is #SS(0). */
    void stackStore(long address, int size, long value) {
        Canonical.check(address, size, true);
        store(address, size, value);
    }

    void store(long address, int size, long value) {
        if (writes == null) {
            memory.write(address, size, value);
            return;
        }
        byte[] before = memory.readBytes(address, size);
        memory.write(address, size, value);
        writes.add(new StepEvent.MemWrite(address, size, before, memory.readBytes(address, size)));
    }

    static CpuFault unsupported(Operand o) {
        return CpuFault.invalidOpcode("unsupported operand " + o);
    }
}
