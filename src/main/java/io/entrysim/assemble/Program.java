package io.entrysim.assemble;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The assembled program: immutable, built once, run many times. Instructions are pre-decoded
 * into {@link #code()}; {@link #indexOf(long)} maps a code address (a return address, an
 * indirect jump target) back to its index.
 */
public final class Program {
    private final Insn[] code;
    private final Map<Long, Integer> indexByAddress;
    private final List<DataBlock> data;
    private final Map<String, Long> symbols;
    private final List<SectionExtent> sections;

    public Program(Insn[] code, List<DataBlock> data, Map<String, Long> symbols) {
        this(code, data, symbols, List.of());
    }

    public Program(Insn[] code, List<DataBlock> data, Map<String, Long> symbols, List<SectionExtent> sections) {
        this.code = code;
        this.sections = ImmutableList.copyOf(sections);
        this.data = ImmutableList.copyOf(data);
        this.symbols = ImmutableMap.copyOf(symbols);
        this.indexByAddress = new HashMap<>();
        for (int i = 0; i < code.length; i++) {
            indexByAddress.putIfAbsent(code[i].address, i);
        }
    }

    /** The decoded instructions in address order. Callers must not modify the array. */
    public Insn[] code() {
        return code;
    }

    /** Index of the instruction starting at {@code address}, or -1. */
    public int indexOf(long address) {
        Integer i = indexByAddress.get(address);
        return i == null ? -1 : i;
    }

    public List<DataBlock> data() {
        return data;
    }

    /** Where each output section was placed, in order of first use (machines map them by name). */
    public List<SectionExtent> sections() {
        return sections;
    }

    /** Every symbol with its final value (labels: addresses; {@code .set}: values). */
    public Map<String, Long> symbols() {
        return symbols;
    }
}
