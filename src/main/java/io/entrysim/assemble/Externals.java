package io.entrysim.assemble;

import io.entrysim.diag.Origin;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Symbols a program uses but never defines: the C functions entry code calls ({@code do_nmi},
 * {@code enter_from_user_mode}) and the tables it reads ({@code sys_call_table}). Each gets a
 * 4 KiB slot in an extern area. A {@link Op#STUB} instruction sits at the slot's address, so
 * {@code call do_nmi} runs the stub; the slot's memory holds the slot address in every quadword,
 * so {@code call *sys_call_table(,%rax,8)} loads a pointer to that same stub. Every such symbol is
 * reported, so nothing is invented silently.
 */
final class Externals {
    static final long SLOT = 4096;

    private final long base;
    private final Map<String, Long> addresses = new LinkedHashMap<>();
    private final Map<String, Origin> firstUse = new LinkedHashMap<>();

    Externals(long base) {
        this.base = base;
    }

    boolean enabled() {
        return base != 0;
    }

    long allocate(String name, Origin where) {
        return addresses.computeIfAbsent(name, n -> {
            firstUse.put(n, where);
            return base + SLOT * addresses.size();
        });
    }

    boolean contains(long address) {
        return enabled() && address >= base && address < base + SLOT * addresses.size();
    }

    Map<String, Long> addresses() {
        return addresses;
    }

    /** Appends one stub instruction per external symbol (they never fall through: they return). */
    void appendStubs(List<Insn> code) {
        for (Map.Entry<String, Long> e : addresses.entrySet()) {
            long at = e.getValue();
            code.add(Insn.stub(e.getKey(), at, at + SLOT, firstUse.get(e.getKey())));
        }
    }

    /** Index of the stub at {@code address}, or -1 when the address is not a stub (the end of code). */
    int stubIndex(long address, List<Insn> code) {
        if (!contains(address) || (address - base) % SLOT != 0) {
            return -1;
        }
        int k = (int) ((address - base) / SLOT);
        return code.size() - addresses.size() + k;
    }

    List<DataBlock> dataBlocks() {
        List<DataBlock> out = new ArrayList<>();
        for (long at : addresses.values()) {
            byte[] bytes = new byte[(int) SLOT];
            for (int i = 0; i < SLOT; i += 8) {
                for (int b = 0; b < 8; b++) {
                    bytes[i + b] = (byte) (at >>> (8 * b));
                }
            }
            out.add(new DataBlock(".entrysim.extern", at, bytes));
        }
        return out;
    }
}
