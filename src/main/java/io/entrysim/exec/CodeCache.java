package io.entrysim.exec;

import io.entrysim.assemble.DataBlock;
import io.entrysim.assemble.Decoded;
import io.entrysim.assemble.Insn;
import io.entrysim.assemble.MachineCodeDecoder;
import io.entrysim.assemble.Op;
import io.entrysim.assemble.Operand;
import io.entrysim.assemble.Program;
import io.entrysim.assemble.SectionExtent;
import io.entrysim.cpu.Memory;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The instructions the executor runs: code is what is in memory. The program's assembled
 * instructions are the cache to begin with (decoded once, with their source lines); an address
 * in a code section where none starts (bytes emitted by {@code .byte}, the middle of a patched
 * region) is decoded from memory the first time execution gets there, and a CPU write into code
 * makes what was decoded there stale, so it is decoded again from the new bytes.
 *
 * <p>Indices: {@code 0 .. end-1} are the program's instructions, {@link #end} means "ran past
 * the last instruction", and decoded instructions get indices above it, never reused. What
 * changed since the program was assembled is an {@link Overlay}, null while nothing did, so the
 * common path costs one null test; a snapshot keeps it by reference (copy on the next change).
 */
final class CodeCache {
    private final Program program;
    private final Insn[] code;
    /** The program's fall-through indices and form problems, per instruction (hot: read every step). */
    private final int[] fallThrough;
    private final String[] problems;
    /** The program's instruction addresses (hot: RIP is set from them every step). */
    private final long[] addresses;
    /** The index past the program's instructions: "ended". */
    final int end;
    private final Memory memory;
    /** Decoded instructions (index end + 1 + k) and why each cannot run, if so. Append-only. */
    private final List<Insn> decoded = new ArrayList<>();
    private final List<String> decodedProblems = new ArrayList<>();
    /** Each code section's [base, end): where a write can touch code. */
    private final long[] sectionStart;
    private final long[] sectionEnd;
    private Overlay overlay;
    /** The overlay is held by a saved executor state: change a copy, not it. */
    private boolean shared;
    /** Set when a write made code stale during the current instruction. */
    boolean touched;

    /**
     * What differs from the program as assembled: addresses decoded from memory, assembled ones
     * gone stale. Changed in place while this cache alone holds it; copied once a saved state does.
     */
    record Overlay(Map<Long, Integer> decodedAt, BitSet stale) {}

    CodeCache(Program program, Memory memory) {
        this.program = program;
        this.code = program.code();
        this.end = code.length;
        this.fallThrough = program.fallThroughs();
        this.problems = program.problems();
        this.addresses = new long[code.length];
        for (int i = 0; i < code.length; i++) {
            addresses[i] = code[i].address;
        }
        this.memory = memory;
        List<SectionExtent> codeSections = program.sections().stream().filter(x -> x.code() && x.size() > 0).toList();
        this.sectionStart = new long[codeSections.size()];
        this.sectionEnd = new long[codeSections.size()];
        for (int k = 0; k < codeSections.size(); k++) {
            SectionExtent s = codeSections.get(k);
            sectionStart[k] = s.base();
            sectionEnd[k] = s.base() + s.size();
        }
        if (sectionStart.length > 0) {
            long[] spans = new long[sectionStart.length];
            for (int k = 0; k < spans.length; k++) {
                spans[k] = sectionEnd[k] - sectionStart[k];
            }
            memory.setWriteWatcher(sectionStart, spans, this::forget);
        }
    }

    /** The overlay for a saved state: from now on it is changed only by copying. */
    Overlay saveOverlay() {
        shared = overlay != null;
        return overlay;
    }

    void setOverlay(Overlay o) {
        overlay = o;
        shared = o != null;
    }

    /** The overlay to change: this cache's own (created or copied as needed). */
    private Overlay ownOverlay() {
        if (overlay == null) {
            overlay = new Overlay(new HashMap<>(), new BitSet());
        } else if (shared) {
            overlay = new Overlay(new HashMap<>(overlay.decodedAt), (BitSet) overlay.stale.clone());
        }
        shared = false;
        return overlay;
    }

    Insn insn(int index) {
        return index < end ? code[index] : decoded.get(index - end - 1);
    }

    /** The address of instruction {@code index} (not {@link #end}). */
    long address(int index) {
        return index < end ? addresses[index] : insn(index).address;
    }

    /** Why instruction {@code index} cannot execute (#UD), or null. */
    String problem(int index) {
        return index < end ? problems[index] : decodedProblems.get(index - end - 1);
    }

    /** True when {@code index} is an assembled instruction a write has made stale. */
    boolean stale(int index) {
        Overlay o = overlay;
        return o != null && index < end && index >= 0 && o.stale.get(index);
    }

    /**
     * The instruction starting at {@code address}: assembled, decoded before, or decoded now from
     * memory when the address is in a code section; {@link Program#NONE} when none can start there.
     */
    int indexOf(long address) {
        Overlay o = overlay;
        if (o == null) {
            int i = program.indexOf(address);
            return i >= 0 ? i : decode(address);
        }
        Integer d = o.decodedAt.get(address);
        if (d != null) {
            return d;
        }
        int i = program.indexOf(address);
        return i >= 0 && !o.stale.get(i) ? i : decode(address);
    }

    /** The index execution falls through to after {@code index}. */
    int fallThrough(int index) {
        if (index < end) {
            int next = fallThrough[index];
            if (overlay == null && next >= 0) {
                return next;
            }
            if (next == end) {
                return end;
            }
            if (next >= 0 && !stale(next)) {
                return next;
            }
        }
        int i = indexOf(insn(index).nextAddress);
        return i >= 0 ? i : Program.NONE;
    }

    private int decode(long address) {
        SectionExtent s = program.sectionAt(address);
        if (s == null || !s.code()) {
            return Program.NONE;
        }
        Decoded d = MachineCodeDecoder.decode(a -> (int) memory.peek(a, 1), address);
        Insn insn;
        String problem;
        if (d instanceof Decoded.Instruction i) {
            insn = i.insn().withOrigin(program.emittedBy(address));
            problem = null;
        } else {
            Decoded.Invalid bad = (Decoded.Invalid) d;
            // runs as #UD with the reason, at the bytes' address
            insn = new Insn(Op.NOP, 0, 0, null, new Operand[0], -1, address, address + Math.max(1, bad.bytes().length),
                    "(bad)", program.emittedBy(address));
            problem = bad.message();
        }
        decoded.add(insn);
        decodedProblems.add(problem);
        int index = end + decoded.size();
        ownOverlay().decodedAt.put(address, index);
        return index;
    }

    /** A CPU write touched a code section: forget what was decoded from those bytes. */
    private void forget(long address, int size) {
        // an instruction is at most 15 bytes: those starting up to 14 bytes before may overlap
        for (long a = address - 14; Long.compareUnsigned(a - (address - 14), size + 14) < 0; a++) {
            Overlay o = overlay;
            int i = program.indexOf(a);
            if (i >= 0 && overlaps(code[i], address, size) && (o == null || !o.stale.get(i))) {
                ownOverlay().stale.set(i);
                touched = true;
            }
            Integer d = o == null ? null : o.decodedAt.get(a);
            if (d != null && overlaps(insn(d), address, size)) {
                ownOverlay().decodedAt.remove(a);
                touched = true;
            }
        }
    }

    private static boolean overlaps(Insn insn, long address, int size) {
        long len = Math.max(1, insn.nextAddress - insn.address);
        return Long.compareUnsigned(address - insn.address, len) < 0
                || Long.compareUnsigned(insn.address - address, size) < 0;
    }

    /**
     * Memory was written after the program was loaded and before the run (a {@code --mem} into
     * code, patching): the instructions whose bytes differ are stale. Only for a CPU the
     * program was loaded into (else every byte differs).
     */
    void staleWhereMemoryDiffers() {
        for (DataBlock b : program.data()) {
            SectionExtent s = program.sectionAt(b.address());
            if (s == null || !s.code()) {
                continue;
            }
            byte[] now = memory.readBytes(b.address(), b.bytes().length);
            for (int k = 0; k < now.length; k++) {
                if (now[k] != b.bytes()[k]) {
                    forget(b.address() + k, 1);
                }
            }
        }
        touched = false;
    }
}
