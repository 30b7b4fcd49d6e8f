package io.entrysim.cpu;

import java.util.Arrays;

/**
 * Page number -> 4 KiB page, open addressing over primitive arrays so that a snapshot is two
 * array clones. {@code owner[slot]} is the memory epoch in which the page was allocated or
 * copied; pages from an older epoch may be shared with a snapshot and must be copied before a
 * write (copy-on-write). Pages are never removed, except by {@link #clear()}.
 */
final class PageTable {

    long[] keys;
    byte[][] pages;
    long[] owner;
    int count;

    PageTable() {
        this(16);
    }

    private PageTable(int capacity) {
        keys = new long[capacity];
        pages = new byte[capacity][];
        owner = new long[capacity];
    }

    /** A frozen copy sharing the page arrays (callers must never write them again in place). */
    PageTable frozenCopy() {
        PageTable t = new PageTable(0);
        t.keys = keys.clone();
        t.pages = pages.clone();
        t.owner = null;
        t.count = count;
        return t;
    }

    /** Becomes a live copy of a frozen table: every page shared, so copied on first write. */
    void loadFrom(PageTable frozen) {
        keys = frozen.keys.clone();
        pages = frozen.pages.clone();
        // Owner entries below the caller's (freshly bumped) epoch mean "shared": no need to zero.
        if (owner == null || owner.length != keys.length) {
            owner = new long[keys.length];
        }
        count = frozen.count;
    }

    void clear() {
        keys = new long[16];
        pages = new byte[16][];
        owner = new long[16];
        count = 0;
    }

    /** Slot holding {@code pageNo}, or -1. */
    int find(long pageNo) {
        int mask = keys.length - 1;
        for (int i = hash(pageNo, mask); ; i = (i + 1) & mask) {
            if (pages[i] == null) {
                return -1;
            }
            if (keys[i] == pageNo) {
                return i;
            }
        }
    }

    /** Inserts a page that is known to be absent; returns its slot. */
    int insert(long pageNo, byte[] page, long epoch) {
        if ((count + 1) * 2 > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int i = hash(pageNo, mask);
        while (pages[i] != null) {
            i = (i + 1) & mask;
        }
        keys[i] = pageNo;
        pages[i] = page;
        owner[i] = epoch;
        count++;
        return i;
    }

    private void grow() {
        long[] oldKeys = keys;
        byte[][] oldPages = pages;
        long[] oldOwner = owner;
        int capacity = oldKeys.length * 2;
        keys = new long[capacity];
        pages = new byte[capacity][];
        owner = new long[capacity];
        count = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldPages[i] != null) {
                insert(oldKeys[i], oldPages[i], oldOwner[i]);
            }
        }
    }

    /** Page numbers present, ascending. */
    long[] pageNumbers() {
        long[] out = new long[count];
        int n = 0;
        for (int i = 0; i < keys.length; i++) {
            if (pages[i] != null) {
                out[n++] = keys[i];
            }
        }
        Arrays.sort(out);
        return out;
    }

    private static int hash(long pageNo, int mask) {
        long h = pageNo * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & mask;
    }
}
