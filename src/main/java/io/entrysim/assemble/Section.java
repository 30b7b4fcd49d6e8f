package io.entrysim.assemble;

import io.entrysim.diag.AsmError;
import io.entrysim.diag.Origin;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * One output section: a fixed base address (sections never move, so a label's address is final
 * the moment it is defined) and a location counter. Bytes are kept sparsely, as runs of emitted
 * data; zero-filled gaps ({@code .skip}, {@code .bss}) cost nothing, so a large {@code .skip}
 * is as cheap as in gas. In code sections the alignment padding is remembered, because running
 * into it means running through NOPs to the next instruction.
 */
final class Section {
    /** The most one section may hold in emitted (non-zero-filled) bytes. */
    static final long MAX_EMITTED = 64L << 20;

    final String name;
    final boolean code;
    final long base;
    /** Bytes of address space the section may fill (the distance to the next section's base). */
    final long room;
    private long offset;
    /** Runs of emitted bytes by their start offset. */
    private final TreeMap<Long, ByteArrayOutputStream> runs = new TreeMap<>();
    private ByteArrayOutputStream open;
    private long openEnd = -1;
    private long emitted;
    /** The source line that emitted the bytes from each offset on (until the next entry). */
    private final TreeMap<Long, Origin> origins = new TreeMap<>();
    private Origin lastOrigin;
    /** Code-section padding ranges [start, end) as offsets: NOPs to run through. */
    private final TreeMap<Long, Long> padding = new TreeMap<>();

    Section(String name, boolean code, long base, long room) {
        this.name = name;
        this.code = code;
        this.base = base;
        this.room = room;
    }

    /**
     * Refuses to grow past {@link #room} (a huge {@code .skip}, {@code .fill}, {@code .org} or
     * alignment), with the statement's location, before any byte is written.
     */
    void reserve(long count, Origin where) {
        if (count < 0 || Long.compareUnsigned(count, room - offset) > 0) {
            long end = offset + count;
            String size = count < 0 || Long.compareUnsigned(end, offset) < 0 ? "past 2^64"
                    : "0x" + Long.toHexString(end);
            throw new AsmError(where, String.format("section %s would grow to %s bytes, more than the 0x%x"
                    + " entrysim places it in", name, size, room));
        }
    }

    long dot() {
        return base + offset;
    }

    long offset() {
        return offset;
    }

    /** Advances the location counter; the skipped bytes read as {@code fill}. */
    void advance(long count, int fill, Origin where) {
        reserve(count, where);
        if ((fill & 0xff) == 0) {
            offset += count;
            return;
        }
        for (long i = 0; i < count; i++) {
            emit(fill, 1, where);
        }
    }

    /**
     * Alignment padding. In a code section with no fill byte given (or 0x90) it is gas's NOPs
     * ({@link NopPadding}) and execution runs through it; otherwise the fill byte (0 by default).
     */
    void pad(long count, Integer fill, Origin where) {
        reserve(count, where);
        if (code && count > 0 && (fill == null || (fill & 0xff) == 0x90)) {
            padding.put(offset, offset + count); // the same in every walk once the layout settled
            for (byte b : NopPadding.bytes((int) count)) {
                emit(b, 1, where);
            }
            return;
        }
        advance(count, fill == null ? 0 : fill, where);
    }

    void emit(long value, int size, Origin where) {
        reserve(size, where);
        if (where != lastOrigin && where != null) {
            origins.put(offset, where); // bytes from here on come from this line
            lastOrigin = where;
        }
        if (openEnd != offset) {
            open = new ByteArrayOutputStream();
            runs.put(offset, open);
        }
        emitted += size;
        if (emitted > MAX_EMITTED) {
            throw new AsmError(where, "section " + name + " would hold more than " + (MAX_EMITTED >> 20)
                    + " MiB of initialised data");
        }
        for (int i = 0; i < size; i++) {
            open.write((int) (value >>> (8 * i)));
        }
        offset += size;
        openEnd = offset;
    }

    /** True when [from, to) (offsets) is nothing but alignment padding. */
    boolean onlyPadding(long from, long to) {
        long at = from;
        while (at < to) {
            Long end = padding.get(at);
            if (end == null) {
                return false;
            }
            at = end;
        }
        return at == to;
    }

    /** Size at the end of pass 1 (pass 2 lays out identically), for address lookups in pass 2. */
    long size;

    /**
     * Rewinds for another walk. Before the final walk the layout has settled: addresses come
     * out identically and the padding ranges are kept, since that walk decodes an instruction
     * before reaching the padding after it. Before another layout walk the padding may move.
     */
    void rewind(boolean keepPadding) {
        if (!keepPadding) {
            padding.clear();
        }
        size = offset;
        offset = 0;
        runs.clear();
        origins.clear();
        lastOrigin = null;
        open = null;
        openEnd = -1;
        emitted = 0;
    }

    /** Where the emitted bytes came from: address -> the line that emitted the bytes from there on. */
    void addOrigins(java.util.NavigableMap<Long, Origin> into) {
        origins.forEach((off, o) -> into.put(base + off, o));
    }

    /** The emitted runs as data blocks at their addresses. */
    List<DataBlock> blocks() {
        List<DataBlock> out = new ArrayList<>();
        runs.forEach((off, bytes) -> {
            if (bytes.size() > 0) {
                out.add(new DataBlock(name, base + off, bytes.toByteArray()));
            }
        });
        return out;
    }
}
