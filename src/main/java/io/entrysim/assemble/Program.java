package io.entrysim.assemble;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.List;
import java.util.Map;

/**
 * The assembled program: immutable, built once, run many times. Instructions are pre-decoded
 * into {@link #code()}. Everything the executor derives per instruction is computed here, once:
 * {@link #indexOf(long)} maps a code address (a return address, an indirect jump target) back to
 * its index (a binary search over the instructions' start addresses), {@link #fallThrough(int)} is the
 * index execution falls through to, and {@link #problem(int)} says why an instruction does not
 * fit its operation's forms ({@link InsnForms}), so cannot be executed.
 */
public final class Program {
    /** {@link #indexOf} and {@link #fallThrough}: no instruction there. */
    public static final int NONE = -1;
    private final Insn[] code;
    private final List<DataBlock> data;
    private final Map<String, Long> symbols;
    private final List<SectionExtent> sections;
    private final int[] fallThrough;
    private final String[] problems;
    /** The line that emitted the bytes at each address on, up to the next entry. */
    private final java.util.NavigableMap<Long, io.entrysim.diag.Origin> emittedBy;
    /** Instruction start addresses, ascending (as signed longs), and the index of each. */
    private final long[] sortedAddresses;
    private final int[] indexAtSorted;

    public Program(Insn[] code, List<DataBlock> data, Map<String, Long> symbols) {
        this(code, data, symbols, List.of());
    }

    public Program(Insn[] code, List<DataBlock> data, Map<String, Long> symbols, List<SectionExtent> sections) {
        this(code, data, symbols, sections, new java.util.TreeMap<>());
    }

    public Program(Insn[] code, List<DataBlock> data, Map<String, Long> symbols, List<SectionExtent> sections,
                   java.util.NavigableMap<Long, io.entrysim.diag.Origin> emittedBy) {
        this.emittedBy = java.util.Collections.unmodifiableNavigableMap(new java.util.TreeMap<>(emittedBy));
        this.code = code;
        this.sections = ImmutableList.copyOf(sections);
        this.data = ImmutableList.copyOf(data);
        this.symbols = ImmutableMap.copyOf(symbols);
        Integer[] order = new Integer[code.length];
        for (int i = 0; i < code.length; i++) {
            order[i] = i;
        }
        // stable: of two instructions at one address (never from the assembler), the first wins
        java.util.Arrays.sort(order, (x, y) -> Long.compare(code[x].address, code[y].address));
        this.sortedAddresses = new long[code.length];
        this.indexAtSorted = new int[code.length];
        for (int k = 0; k < code.length; k++) {
            sortedAddresses[k] = code[order[k]].address;
            indexAtSorted[k] = order[k];
        }
        this.fallThrough = new int[code.length];
        this.problems = new String[code.length];
        for (int i = 0; i < code.length; i++) {
            if (i + 1 < code.length && code[i + 1].address == code[i].nextAddress) {
                fallThrough[i] = i + 1;
            } else if (i + 1 == code.length) {
                fallThrough[i] = code.length;
            } else {
                fallThrough[i] = indexOf(code[i].nextAddress);
            }
            problems[i] = InsnForms.problem(code[i], code.length);
        }
    }

    /** The decoded instructions in address order. Callers must not modify the array. */
    public Insn[] code() {
        return code;
    }

    /** Index of the instruction starting at {@code address}, or {@link #NONE} (-1). */
    public int indexOf(long address) {
        int k = java.util.Arrays.binarySearch(sortedAddresses, address);
        if (k < 0) {
            return NONE;
        }
        while (k > 0 && sortedAddresses[k - 1] == address) {
            k--;
        }
        return indexAtSorted[k];
    }

    /**
     * The index execution reaches by falling through instruction {@code index}: the next one,
     * {@code code().length} after the last, or {@link #NONE} when no instruction starts at its
     * {@link Insn#nextAddress}.
     */
    public int fallThrough(int index) {
        return fallThrough[index];
    }

    /** Why instruction {@code index} does not fit its operation's forms (it cannot execute: #UD), or null. */
    public String problem(int index) {
        return problems[index];
    }

    /** {@link #fallThrough} of every instruction, as a copy for an executor's tables. */
    public int[] fallThroughs() {
        return fallThrough.clone();
    }

    /** {@link #problem} of every instruction, as a copy for an executor's tables. */
    public String[] problems() {
        return problems.clone();
    }

    public List<DataBlock> data() {
        return data;
    }

    /**
     * The source line that emitted the byte at {@code address} (an instruction, a {@code .byte}
     * directive, alignment), or null outside every section: the provenance of code decoded
     * from memory.
     */
    public io.entrysim.diag.Origin emittedBy(long address) {
        Map.Entry<Long, io.entrysim.diag.Origin> e = emittedBy.floorEntry(address);
        SectionExtent s = sectionAt(address);
        // the line that emitted bytes at or before the address, in the same section
        return e == null || s == null || Long.compareUnsigned(e.getKey() - s.base(), s.size()) >= 0 ? null : e.getValue();
    }

    /** Where each source line's bytes start, for a program derived from this one. */
    java.util.NavigableMap<Long, io.entrysim.diag.Origin> emittedByMap() {
        return emittedBy;
    }

    /** The section that holds {@code address}, or null. */
    public SectionExtent sectionAt(long address) {
        for (SectionExtent s : sections) {
            if (Long.compareUnsigned(address - s.base(), s.size()) < 0) {
                return s;
            }
        }
        return null;
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
