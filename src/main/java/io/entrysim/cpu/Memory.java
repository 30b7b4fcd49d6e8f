package io.entrysim.cpu;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Sparse little-endian byte memory over the full 64-bit address space, in 4 KiB pages allocated
 * on first write (unwritten memory reads as 0). Addresses wrap modulo 2^64.
 *
 * <p>Two kinds of access: {@link #read}/{@link #write} are the CPU's data accesses: they consult
 * the {@link AccessChecker} and {@code write} counts one write access per call (a page-crossing
 * write is still one access). The host accesses {@link #peek}, {@link #poke}, {@link #readBytes}
 * and {@link #writeBytes} (program loading, debugger dumps, tests) are neither checked nor counted.
 *
 * <p>{@link #snapshot()} and {@link #restore} are O(1): everything is shared with the snapshot and
 * copied on the first write after it (copy-on-write) at the granularity of 512-byte chunks of a
 * page (see {@link PageTable}), so a sweep that writes a few stack slots per state copies about
 * a chunk, not a page.
 */
public final class Memory {
    public static final int PAGE_SHIFT = 12;
    public static final int PAGE_SIZE = 1 << PAGE_SHIFT;
    private static final int CHUNK_SHIFT = PageTable.CHUNK_SHIFT;
    private static final int CHUNK_SIZE = PageTable.CHUNK_SIZE;
    private static final int CHUNK_MASK = CHUNK_SIZE - 1;
    private static final int CHUNK_INDEX_MASK = PageTable.CHUNKS - 1;

    private static final VarHandle SHORTS = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** An immutable memory image; restore it any number of times. */
    public static final class Snapshot {
        private final PageTable table;
        private final long writeCount;

        private Snapshot(PageTable table, long writeCount) {
            this.table = table;
            this.writeCount = writeCount;
        }

        public long writeCount() {
            return writeCount;
        }
    }

    private final PageTable table = new PageTable();
    /** Pages whose owner is below this epoch may be shared with a snapshot. */
    private long epoch = 1;
    private long writeCount;
    private AccessChecker checker;

    // One-entry caches: most accesses hit the chunk of the previous one (stack, per-cpu area).
    private long readChunkNo = -1;
    private byte[] readChunk;
    private long writeChunkNo = -1;
    private byte[] writeChunk;

    public AccessChecker accessChecker() {
        return checker;
    }

    /**
     * Makes pages of one range the same memory as pages of another (page numbers: alias ->
     * target), as when the kernel maps the per-CPU TSS read-only into cpu_entry_area. Null: none.
     * A write through one name is seen through the other.
     */
    public void setPageAliases(java.util.Map<Long, Long> pageAliases) {
        int n = pageAliases == null ? 0 : pageAliases.size();
        long[] from = new long[n];
        int k = 0;
        if (n > 0) {
            for (long pn : pageAliases.keySet()) {
                from[k++] = pn;
            }
        }
        Arrays.sort(from);
        long[] to = new long[n];
        for (int i = 0; i < n; i++) {
            to[i] = pageAliases.get(from[i]);
        }
        aliasFrom = from;
        aliasTo = to;
        // Page numbers are below 2^52, so signed comparison orders them; an empty range matches nothing.
        aliasLow = n == 0 ? Long.MAX_VALUE : from[0];
        aliasHigh = n == 0 ? Long.MIN_VALUE : from[n - 1];
        invalidateCaches();
    }

    // Page aliases as sorted primitive arrays (a lookup is on every chunk-cache miss: no boxing),
    // with their range as a cheap first test.
    private long[] aliasFrom = new long[0];
    private long[] aliasTo = new long[0];
    private long aliasLow = Long.MAX_VALUE;
    private long aliasHigh = Long.MIN_VALUE;

    /** Installs the access check (null: flat memory, everything accessible). */
    public void setAccessChecker(AccessChecker checker) {
        this.checker = checker;
    }

    /** Number of CPU write accesses so far (restored with snapshots). */
    public long writeCount() {
        return writeCount;
    }

    /** CPU data read of {@code size} (1, 2, 4, 8) bytes, zero-extended. */
    public long read(long address, int size) {
        if (checker != null) {
            checker.check(address, size, AccessKind.READ);
        }
        return peek(address, size);
    }

    /** CPU data write of the low {@code size} bytes of {@code value}; counts one write access. */
    public void write(long address, int size, long value) {
        if (checker != null) {
            checker.check(address, size, AccessKind.WRITE);
        }
        writeCount++;
        poke(address, size, value);
        if (watcher != null) {
            long[] from = watchFrom;
            long[] span = watchSpan;
            for (int k = 0; k < from.length; k++) {
                if (Long.compareUnsigned(address + size - from[k], span[k] + size) < 0) {
                    watcher.written(address, size);
                    return;
                }
            }
        }
    }

    /** Told of CPU writes that touch a watched range (code: what was decoded there is stale). */
    @FunctionalInterface
    public interface WriteWatcher {
        void written(long address, int size);
    }

    private WriteWatcher watcher;
    private long[] watchFrom = new long[0];
    private long[] watchSpan = new long[0];

    /**
     * Tells {@code w} of every CPU write that touches one of the ranges [from[k], from[k] +
     * span[k]) (a few: a cheap test on every write). Null: none.
     */
    public void setWriteWatcher(long[] from, long[] span, WriteWatcher w) {
        this.watchFrom = from.clone();
        this.watchSpan = span.clone();
        this.watcher = w;
    }

    /** Checks an instruction fetch of {@code size} bytes at {@code address} (no data is fetched). */
    public void checkFetch(long address, int size) {
        if (checker != null) {
            checker.check(address, size, AccessKind.FETCH);
        }
    }

    /** Host read (unchecked): {@code size} bytes little-endian, zero-extended. */
    public long peek(long address, int size) {
        int off = (int) address & CHUNK_MASK;
        if (off + size <= CHUNK_SIZE) {
            byte[] c = chunkForRead(address);
            switch (size) {
                case 8:
                    return (long) LONGS.get(c, off);
                case 4:
                    return (int) INTS.get(c, off) & 0xFFFF_FFFFL;
                case 2:
                    return (short) SHORTS.get(c, off) & 0xFFFFL;
                case 1:
                    return c[off] & 0xFFL;
                default:
                    throw new IllegalArgumentException("access size " + size);
            }
        }
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = (v << 8) | (chunkForRead(address + i)[(int) (address + i) & CHUNK_MASK] & 0xFFL);
        }
        return v;
    }

    /** Host write (unchecked, uncounted) of the low {@code size} bytes of {@code value}. */
    public void poke(long address, int size, long value) {
        int off = (int) address & CHUNK_MASK;
        if (off + size <= CHUNK_SIZE) {
            byte[] c = chunkForWrite(address);
            switch (size) {
                case 8 -> LONGS.set(c, off, value);
                case 4 -> INTS.set(c, off, (int) value);
                case 2 -> SHORTS.set(c, off, (short) value);
                case 1 -> c[off] = (byte) value;
                default -> throw new IllegalArgumentException("access size " + size);
            }
            return;
        }
        for (int i = 0; i < size; i++) {
            chunkForWrite(address + i)[(int) (address + i) & CHUNK_MASK] = (byte) (value >>> (8 * i));
        }
    }

    /** Host read of {@code length} bytes (unchecked). */
    public byte[] readBytes(long address, int length) {
        byte[] out = new byte[length];
        int done = 0;
        while (done < length) {
            long a = address + done;
            int off = (int) a & CHUNK_MASK;
            int n = Math.min(length - done, CHUNK_SIZE - off);
            System.arraycopy(chunkForRead(a), off, out, done, n);
            done += n;
        }
        return out;
    }

    /** Host write of {@code bytes} (unchecked, uncounted), e.g. loading a section. */
    public void writeBytes(long address, byte[] bytes) {
        int done = 0;
        while (done < bytes.length) {
            long a = address + done;
            int off = (int) a & CHUNK_MASK;
            int n = Math.min(bytes.length - done, CHUNK_SIZE - off);
            System.arraycopy(bytes, done, chunkForWrite(a), off, n);
            done += n;
        }
    }

    public Snapshot snapshot() {
        Snapshot s = new Snapshot(table.frozenCopy(), writeCount);
        epoch++;
        writeChunkNo = -1;
        writeChunk = null;
        return s;
    }

    public void restore(Snapshot s) {
        long ending = epoch++;
        table.loadFrom(s.table, ending);
        writeCount = s.writeCount;
        invalidateCaches();
    }

    /** Forgets every page and the write count. */
    public void clear() {
        table.clear();
        writeCount = 0;
        invalidateCaches();
    }

    /** Base addresses of the pages ever written (that may hold non-zero bytes), ascending. */
    public long[] pageAddresses() {
        long[] pns = table.pageNumbers();
        for (int i = 0; i < pns.length; i++) {
            pns[i] <<= PAGE_SHIFT;
        }
        return pns;
    }

    /** True if both memories hold the same bytes everywhere (absent pages count as zeros). */
    public boolean sameContents(Memory other) {
        return covers(other) && other.covers(this);
    }

    private boolean covers(Memory other) {
        for (long pn : table.pageNumbers()) {
            for (long a = pn << PAGE_SHIFT, end = a + PAGE_SIZE; a != end; a += CHUNK_SIZE) {
                if (!Arrays.equals(chunkForRead(a), other.chunkForRead(a))) {
                    return false;
                }
            }
        }
        return true;
    }

    private long physicalPage(long address) {
        long pageNo = address >>> PAGE_SHIFT;
        if (pageNo < aliasLow || pageNo > aliasHigh) {
            return pageNo;
        }
        int i = Arrays.binarySearch(aliasFrom, pageNo);
        return i >= 0 ? aliasTo[i] : pageNo;
    }

    /*
     * The caches are keyed by the chunk number as addressed (before aliasing), so a hit costs no
     * alias lookup. That stays coherent because the cached arrays are the very arrays of the
     * table: a write through one name lands in the array another name's cache holds, and the only
     * moment an array is replaced (copy-on-write on a write-cache miss) also refills the read cache.
     */
    private byte[] chunkForRead(long address) {
        long chunkNo = address >>> CHUNK_SHIFT;
        if (chunkNo == readChunkNo) {
            return readChunk;
        }
        int slot = table.find(physicalPage(address));
        byte[] c = slot < 0 ? PageTable.ZERO_CHUNK : table.pages[slot][(int) chunkNo & CHUNK_INDEX_MASK];
        readChunkNo = chunkNo;
        readChunk = c;
        return c;
    }

    private byte[] chunkForWrite(long address) {
        long chunkNo = address >>> CHUNK_SHIFT;
        if (chunkNo == writeChunkNo) {
            return writeChunk;
        }
        byte[] c = table.writableChunk(physicalPage(address), (int) chunkNo & CHUNK_INDEX_MASK, epoch);
        writeChunkNo = chunkNo;
        writeChunk = c;
        // The read cache may hold the zero chunk or the shared original of this chunk.
        readChunkNo = chunkNo;
        readChunk = c;
        return c;
    }

    private void invalidateCaches() {
        readChunkNo = -1;
        readChunk = null;
        writeChunkNo = -1;
        writeChunk = null;
    }
}
