package io.entrysim.assemble;

import java.io.ByteArrayOutputStream;

/**
 * One output section: a fixed base address (sections never move, so a label's address is final
 * the moment it is defined) and a location counter. Code sections hold instruction slots; any
 * section holds data bytes.
 */
final class Section {
    final String name;
    final boolean code;
    final long base;
    private long offset;
    /** Data bytes, indexed by offset; instruction slots stay zero here. */
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    Section(String name, boolean code, long base) {
        this.name = name;
        this.code = code;
        this.base = base;
    }

    long dot() {
        return base + offset;
    }

    long offset() {
        return offset;
    }

    /** Advances the location counter; the skipped bytes read as {@code fill}. */
    void advance(long count, int fill) {
        for (long i = 0; i < count; i++) {
            bytes.write(fill);
        }
        offset += count;
    }

    void emit(long value, int size) {
        for (int i = 0; i < size; i++) {
            bytes.write((int) (value >>> (8 * i)));
        }
        offset += size;
    }

    /** Rewinds for the second pass: addresses are recomputed identically, bytes re-emitted. */
    void rewind() {
        offset = 0;
        bytes.reset();
    }

    byte[] contents() {
        return bytes.toByteArray();
    }
}
