package io.entrysim.assemble;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The assembled program: immutable, built once, run many times. Instructions are pre-decoded
 * into {@link #code()}. Everything the executor derives per instruction is computed here, once:
 * {@link #indexOf(long)} maps a code address (a return address, an indirect jump target) back to
 * its index by arithmetic on the 4-byte instruction slots, {@link #fallThrough(int)} is the
 * index execution falls through to, and {@link #problem(int)} says why an instruction does not
 * fit its operation's forms ({@link InsnForms}), so cannot be executed.
 */
public final class Program {
    /** {@link #indexOf} and {@link #fallThrough}: no instruction there. */
    public static final int NONE = -1;
    /** Instructions sit in slots of this many bytes (the assembler's default slot). */
    private static final int SLOT = 4;
    /** A gap of more empty slots than this between two instructions starts a new run. */
    private static final int MAX_GAP_SLOTS = 256;

    private final Insn[] code;
    private final List<DataBlock> data;
    private final Map<String, Long> symbols;
    private final List<SectionExtent> sections;
    private final int[] fallThrough;
    private final String[] problems;
    /**
     * Runs of instructions in 4-byte slots (a section's code, a stub), by ascending start
     * address: a run's table holds the index of the instruction in each slot, or {@link #NONE}.
     */
    private final long[] runStart;
    private final int[][] runSlots;

    public Program(Insn[] code, List<DataBlock> data, Map<String, Long> symbols) {
        this(code, data, symbols, List.of());
    }

    public Program(Insn[] code, List<DataBlock> data, Map<String, Long> symbols, List<SectionExtent> sections) {
        this.code = code;
        this.sections = ImmutableList.copyOf(sections);
        this.data = ImmutableList.copyOf(data);
        this.symbols = ImmutableMap.copyOf(symbols);
        List<long[]> runs = runs(code);
        this.runStart = new long[runs.size()];
        this.runSlots = new int[runs.size()][];
        for (int r = 0; r < runs.size(); r++) {
            long[] run = runs.get(r);
            long start = code[(int) run[0]].address;
            runStart[r] = start;
            int[] slots = new int[(int) ((code[(int) run[run.length - 1]].address - start) / SLOT) + 1];
            java.util.Arrays.fill(slots, NONE);
            for (long i : run) {
                int k = (int) ((code[(int) i].address - start) / SLOT);
                if (slots[k] == NONE) {
                    slots[k] = (int) i;
                }
            }
            runSlots[r] = slots;
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

    /**
     * Instruction indices grouped into runs: ascending (unsigned) addresses, each a whole
     * number of slots after the run's first, with gaps of at most {@link #MAX_GAP_SLOTS}.
     */
    private static List<long[]> runs(Insn[] code) {
        Integer[] order = new Integer[code.length];
        for (int i = 0; i < code.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Long.compareUnsigned(code[a].address, code[b].address));
        List<long[]> runs = new ArrayList<>();
        List<Long> current = new ArrayList<>();
        long start = 0;
        long last = 0;
        for (int i : order) {
            long at = code[i].address;
            boolean joins = !current.isEmpty() && (at - start) % SLOT == 0
                    && Long.compareUnsigned(at - last, (long) SLOT * (MAX_GAP_SLOTS + 1)) <= 0;
            if (!joins) {
                if (!current.isEmpty()) {
                    runs.add(current.stream().mapToLong(Long::longValue).toArray());
                }
                current = new ArrayList<>();
                start = at;
            }
            current.add((long) i);
            last = at;
        }
        if (!current.isEmpty()) {
            runs.add(current.stream().mapToLong(Long::longValue).toArray());
        }
        return runs;
    }

    /** The decoded instructions in address order. Callers must not modify the array. */
    public Insn[] code() {
        return code;
    }

    /** Index of the instruction starting at {@code address}, or {@link #NONE} (-1). */
    public int indexOf(long address) {
        int lo = 0;
        int hi = runStart.length - 1;
        while (lo <= hi) { // the run starting at or below the address: few runs, one per section or stub
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(runStart[mid], address) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (hi < 0) {
            return NONE;
        }
        long offset = address - runStart[hi];
        int[] slots = runSlots[hi];
        if (offset % SLOT != 0 || Long.compareUnsigned(offset / SLOT, slots.length) >= 0) {
            return NONE;
        }
        return slots[(int) (offset / SLOT)];
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
