package io.entrysim.cpu;

import java.util.Arrays;

/**
 * Page number -> 4 KiB page, open addressing over primitive arrays. A page is an array of
 * {@link #CHUNKS} chunks of {@link #CHUNK_SIZE} bytes so that copy-on-write after a snapshot
 * copies only the chunks actually written, not the whole page.
 *
 * <p>Sharing is at three levels, all copy-on-write: the table's own arrays ({@code keys},
 * {@code pages}) are shared with snapshots until the first change after one, so snapshot and
 * restore are O(1); {@code owner[slot]} is the memory epoch in which the page's chunk array was
 * copied (older: shared with a snapshot); {@code ownedChunks[slot]} (valid only when the page is
 * owned) has a bit per chunk already copied in this epoch. Pages are never removed, except by
 * {@link #clear()}.
 */
final class PageTable {
    static final int CHUNK_SHIFT = 9;
    static final int CHUNK_SIZE = 1 << CHUNK_SHIFT;
    static final int CHUNKS = Memory.PAGE_SIZE / CHUNK_SIZE;
    /** Shared read-only stand-in for chunks never written. */
    static final byte[] ZERO_CHUNK = new byte[CHUNK_SIZE];

    long[] keys;
    byte[][][] pages;
    long[] owner;
    int[] ownedChunks;
    int count;
    /** True while {@code keys}/{@code pages} are also held by a snapshot (copy before changing). */
    private boolean shared;

    PageTable() {
        this(16);
    }

    private PageTable(int capacity) {
        keys = new long[capacity];
        pages = new byte[capacity][][];
        owner = new long[capacity];
        ownedChunks = new int[capacity];
    }

    /** A frozen view sharing every array; callers must bump the epoch (pages become shared). */
    PageTable frozenCopy() {
        PageTable t = new PageTable(0);
        t.keys = keys;
        t.pages = pages;
        t.owner = null;
        t.ownedChunks = null;
        t.count = count;
        shared = true;
        return t;
    }

    /** Becomes a live view of a frozen table: every page shared, so copied on first write. */
    void loadFrom(PageTable frozen) {
        keys = frozen.keys;
        pages = frozen.pages;
        shared = true;
        // Owner entries below the caller's (freshly bumped) epoch mean "shared": no need to zero.
        if (owner == null || owner.length != keys.length) {
            owner = new long[keys.length];
            ownedChunks = new int[keys.length];
        }
        count = frozen.count;
    }

    void clear() {
        keys = new long[16];
        pages = new byte[16][][];
        owner = new long[16];
        ownedChunks = new int[16];
        count = 0;
        shared = false;
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

    /**
     * The chunk holding byte {@code chunkIndex * CHUNK_SIZE} of page {@code pageNo}, private to
     * {@code epoch} (copied or allocated now if it is shared or absent), ready to be written.
     */
    byte[] writableChunk(long pageNo, int chunkIndex, long epoch) {
        int slot = find(pageNo);
        byte[][] chunks;
        if (slot < 0) {
            chunks = new byte[CHUNKS][];
            Arrays.fill(chunks, ZERO_CHUNK);
            slot = insert(pageNo, chunks, epoch);
        } else if (owner[slot] != epoch) {
            unshare();
            chunks = pages[slot].clone();
            pages[slot] = chunks;
            owner[slot] = epoch;
            ownedChunks[slot] = 0;
        } else {
            chunks = pages[slot];
        }
        int bit = 1 << chunkIndex;
        if ((ownedChunks[slot] & bit) != 0) {
            return chunks[chunkIndex];
        }
        byte[] old = chunks[chunkIndex];
        byte[] chunk = old == ZERO_CHUNK ? new byte[CHUNK_SIZE] : old.clone();
        chunks[chunkIndex] = chunk;
        ownedChunks[slot] |= bit;
        return chunk;
    }

    private int insert(long pageNo, byte[][] chunks, long epoch) {
        unshare();
        if ((count + 1) * 2 > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int i = hash(pageNo, mask);
        while (pages[i] != null) {
            i = (i + 1) & mask;
        }
        keys[i] = pageNo;
        pages[i] = chunks;
        owner[i] = epoch;
        ownedChunks[i] = 0;
        count++;
        return i;
    }

    private void unshare() {
        if (shared) {
            keys = keys.clone();
            pages = pages.clone();
            shared = false;
        }
    }

    private void grow() {
        long[] oldKeys = keys;
        byte[][][] oldPages = pages;
        long[] oldOwner = owner;
        int[] oldOwned = ownedChunks;
        int capacity = oldKeys.length * 2;
        keys = new long[capacity];
        pages = new byte[capacity][][];
        owner = new long[capacity];
        ownedChunks = new int[capacity];
        count = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldPages[i] != null) {
                int slot = insert(oldKeys[i], oldPages[i], oldOwner[i]);
                ownedChunks[slot] = oldOwned[i];
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
