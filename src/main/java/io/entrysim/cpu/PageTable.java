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
 *
 * <p>A sweep restores a snapshot, writes a few slots and restores again, many times: so that
 * this allocates nothing in steady state, {@link #loadFrom} recycles what the ending epoch made
 * (no snapshot can hold it: taking one starts a new epoch) into pools that later copies take
 * from, and it keeps the table's own arrays, putting back only the slots changed since they
 * last matched a frozen table ({@link #dirty}).
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
    /**
     * The frozen table whose arrays {@code keys}/{@code pages} equal except at the {@link #dirty}
     * slots (null: unknown, e.g. after growing).
     */
    private PageTable base;
    /** Slots whose key or page changed since the arrays matched {@link #base}. */
    private int[] dirty = new int[8];
    private int dirtyCount;
    // Page chunk arrays and chunks free for reuse (made in an epoch that ended; no snapshot holds them).
    private byte[][][] freePages = new byte[8][][];
    private int freePageCount;
    private byte[][] freeChunks = new byte[8][];
    private int freeChunkCount;

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
        base = t;
        dirtyCount = 0;
        return t;
    }

    /**
     * Becomes a live view of a frozen table: every page shared, so copied on first write. What
     * {@code endingEpoch} (the epoch before the caller's bump) owned is no snapshot's: recycled.
     */
    void loadFrom(PageTable frozen, long endingEpoch) {
        recycle(endingEpoch);
        if (!shared && keys.length == frozen.keys.length) {
            // Our own arrays: put back what differs rather than share (and later copy) the frozen ones.
            if (frozen == base && dirtyCount >= 0) {
                for (int k = 0; k < dirtyCount; k++) {
                    int slot = dirty[k];
                    keys[slot] = frozen.keys[slot];
                    pages[slot] = frozen.pages[slot];
                }
            } else {
                System.arraycopy(frozen.keys, 0, keys, 0, keys.length);
                System.arraycopy(frozen.pages, 0, pages, 0, pages.length);
            }
        } else {
            keys = frozen.keys;
            pages = frozen.pages;
            shared = true;
        }
        base = frozen;
        dirtyCount = 0;
        // Owner entries below the caller's (freshly bumped) epoch mean "shared": no need to zero.
        if (owner == null || owner.length != keys.length) {
            owner = new long[keys.length];
            ownedChunks = new int[keys.length];
        }
        count = frozen.count;
    }

    /** Puts the page arrays and chunks {@code epoch} copied or created into the pools. */
    private void recycle(long epoch) {
        if (dirtyCount < 0) {
            return; // slots unknown (the table grew): leave them to the garbage collector
        }
        for (int k = 0; k < dirtyCount; k++) {
            int slot = dirty[k];
            byte[][] page = pages[slot];
            if (page == null || owner[slot] != epoch) {
                continue;
            }
            owner[slot] = 0; // a slot listed twice gives its arrays once
            for (int bits = ownedChunks[slot]; bits != 0; bits &= bits - 1) {
                freeChunk(page[Integer.numberOfTrailingZeros(bits)]);
            }
            if (freePageCount == freePages.length) {
                freePages = Arrays.copyOf(freePages, freePageCount * 2);
            }
            freePages[freePageCount++] = page;
        }
    }

    private void freeChunk(byte[] chunk) {
        if (freeChunkCount == freeChunks.length) {
            freeChunks = Arrays.copyOf(freeChunks, freeChunkCount * 2);
        }
        freeChunks[freeChunkCount++] = chunk;
    }

    private void markDirty(int slot) {
        if (dirtyCount < 0) {
            return;
        }
        if (dirtyCount == dirty.length) {
            dirty = Arrays.copyOf(dirty, dirtyCount * 2);
        }
        dirty[dirtyCount++] = slot;
    }

    void clear() {
        keys = new long[16];
        pages = new byte[16][][];
        owner = new long[16];
        ownedChunks = new int[16];
        count = 0;
        shared = false;
        base = null;
        dirtyCount = -1;
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
            chunks = freePageCount > 0 ? freePages[--freePageCount] : new byte[CHUNKS][];
            Arrays.fill(chunks, ZERO_CHUNK);
            slot = insert(pageNo, chunks, epoch);
        } else if (owner[slot] != epoch) {
            unshare();
            byte[][] old = pages[slot];
            if (freePageCount > 0) {
                chunks = freePages[--freePageCount];
                System.arraycopy(old, 0, chunks, 0, CHUNKS);
            } else {
                chunks = old.clone();
            }
            pages[slot] = chunks;
            owner[slot] = epoch;
            ownedChunks[slot] = 0;
            markDirty(slot);
        } else {
            chunks = pages[slot];
        }
        int bit = 1 << chunkIndex;
        if ((ownedChunks[slot] & bit) != 0) {
            return chunks[chunkIndex];
        }
        byte[] old = chunks[chunkIndex];
        byte[] chunk;
        if (freeChunkCount > 0) {
            chunk = freeChunks[--freeChunkCount];
            if (old == ZERO_CHUNK) {
                Arrays.fill(chunk, (byte) 0);
            } else {
                System.arraycopy(old, 0, chunk, 0, CHUNK_SIZE);
            }
        } else {
            chunk = old == ZERO_CHUNK ? new byte[CHUNK_SIZE] : old.clone();
        }
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
        markDirty(i);
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
        base = null;
        dirtyCount = -1; // every slot moved
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
