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
 * <p>{@link #snapshot()} is O(number of pages) array copies; pages are shared with the snapshot
 * and copied on the first write after it (copy-on-write), so taking and restoring snapshots of a
 * few-page working set is cheap.
 */
public final class Memory {
    public static final int PAGE_SHIFT = 12;
    public static final int PAGE_SIZE = 1 << PAGE_SHIFT;
    private static final int OFFSET_MASK = PAGE_SIZE - 1;
    private static final byte[] ZERO_PAGE = new byte[PAGE_SIZE];

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

    // One-entry caches: most accesses hit the page of the previous one (stack, per-cpu area).
    private long readPageNo = -1;
    private byte[] readPage;
    private long writePageNo = -1;
    private byte[] writePage;

    public AccessChecker accessChecker() {
        return checker;
    }

    /**
     * Makes pages of one range the same memory as pages of another (page numbers: alias ->
     * target), as when the kernel maps the per-CPU TSS read-only into cpu_entry_area. Null: none.
     * Caches are keyed by the target page, so a write through one name is seen through the other.
     */
    public void setPageAliases(java.util.Map<Long, Long> pageAliases) {
        this.aliases = pageAliases == null || pageAliases.isEmpty() ? null : java.util.Map.copyOf(pageAliases);
        invalidateCaches();
    }

    /** Installs the access check (null: flat memory, everything accessible). */
    private java.util.Map<Long, Long> aliases;

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
    }

    /** Checks an instruction fetch of {@code size} bytes at {@code address} (no data is fetched). */
    public void checkFetch(long address, int size) {
        if (checker != null) {
            checker.check(address, size, AccessKind.FETCH);
        }
    }

    /** Host read (unchecked): {@code size} bytes little-endian, zero-extended. */
    public long peek(long address, int size) {
        int off = (int) address & OFFSET_MASK;
        if (off + size <= PAGE_SIZE) {
            byte[] p = pageForRead(address >>> PAGE_SHIFT);
            switch (size) {
                case 8:
                    return (long) LONGS.get(p, off);
                case 4:
                    return (int) INTS.get(p, off) & 0xFFFF_FFFFL;
                case 2:
                    return (short) SHORTS.get(p, off) & 0xFFFFL;
                case 1:
                    return p[off] & 0xFFL;
                default:
                    throw new IllegalArgumentException("access size " + size);
            }
        }
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = (v << 8) | peekByte(address + i);
        }
        return v;
    }

    /** Host write (unchecked, uncounted) of the low {@code size} bytes of {@code value}. */
    public void poke(long address, int size, long value) {
        int off = (int) address & OFFSET_MASK;
        if (off + size <= PAGE_SIZE) {
            byte[] p = pageForWrite(address >>> PAGE_SHIFT);
            switch (size) {
                case 8 -> LONGS.set(p, off, value);
                case 4 -> INTS.set(p, off, (int) value);
                case 2 -> SHORTS.set(p, off, (short) value);
                case 1 -> p[off] = (byte) value;
                default -> throw new IllegalArgumentException("access size " + size);
            }
            return;
        }
        for (int i = 0; i < size; i++) {
            pokeByte(address + i, (byte) (value >>> (8 * i)));
        }
    }

    /** Host read of {@code length} bytes (unchecked). */
    public byte[] readBytes(long address, int length) {
        byte[] out = new byte[length];
        int done = 0;
        while (done < length) {
            long a = address + done;
            int off = (int) a & OFFSET_MASK;
            int n = Math.min(length - done, PAGE_SIZE - off);
            System.arraycopy(pageForRead(a >>> PAGE_SHIFT), off, out, done, n);
            done += n;
        }
        return out;
    }

    /** Host write of {@code bytes} (unchecked, uncounted), e.g. loading a section. */
    public void writeBytes(long address, byte[] bytes) {
        int done = 0;
        while (done < bytes.length) {
            long a = address + done;
            int off = (int) a & OFFSET_MASK;
            int n = Math.min(bytes.length - done, PAGE_SIZE - off);
            System.arraycopy(bytes, done, pageForWrite(a >>> PAGE_SHIFT), off, n);
            done += n;
        }
    }

    public Snapshot snapshot() {
        Snapshot s = new Snapshot(table.frozenCopy(), writeCount);
        epoch++;
        writePageNo = -1;
        writePage = null;
        return s;
    }

    public void restore(Snapshot s) {
        epoch++;
        table.loadFrom(s.table);
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
            if (!Arrays.equals(pageForRead(pn), other.pageForRead(pn))) {
                return false;
            }
        }
        return true;
    }

    private long peekByte(long address) {
        return pageForRead(address >>> PAGE_SHIFT)[(int) address & OFFSET_MASK] & 0xFFL;
    }

    private void pokeByte(long address, byte b) {
        pageForWrite(address >>> PAGE_SHIFT)[(int) address & OFFSET_MASK] = b;
    }

    private byte[] pageForRead(long pageNo) {
        if (aliases != null) {
            pageNo = aliases.getOrDefault(pageNo, pageNo);
        }
        if (pageNo == readPageNo) {
            return readPage;
        }
        int slot = table.find(pageNo);
        byte[] p = slot < 0 ? ZERO_PAGE : table.pages[slot];
        readPageNo = pageNo;
        readPage = p;
        return p;
    }

    private byte[] pageForWrite(long pageNo) {
        if (aliases != null) {
            pageNo = aliases.getOrDefault(pageNo, pageNo);
        }
        if (pageNo == writePageNo) {
            return writePage;
        }
        int slot = table.find(pageNo);
        byte[] p;
        if (slot < 0) {
            p = new byte[PAGE_SIZE];
            table.insert(pageNo, p, epoch);
        } else if (table.owner[slot] != epoch) {
            p = table.pages[slot].clone();
            table.pages[slot] = p;
            table.owner[slot] = epoch;
        } else {
            p = table.pages[slot];
        }
        writePageNo = pageNo;
        writePage = p;
        // The read cache may hold the zero page or the shared original of this page.
        readPageNo = pageNo;
        readPage = p;
        return p;
    }

    private void invalidateCaches() {
        readPageNo = -1;
        readPage = null;
        writePageNo = -1;
        writePage = null;
    }
}
