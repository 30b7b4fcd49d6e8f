package io.entrysim.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Copy-on-write in 512-byte chunks: boundaries, snapshot/restore sequences, aliases. */
class MemoryCopyOnWriteTest {
    private static final long CHUNK = PageTable.CHUNK_SIZE;

    @Test
    void chunkCrossingAccessesAtEverySizeKeepTheSnapshotIntact() {
        Memory m = new Memory();
        m.write(0x1000 + CHUNK - 8, 8, 0x1111_1111_1111_1111L);
        m.write(0x1000 + CHUNK, 8, 0x2222_2222_2222_2222L);
        Memory.Snapshot s = m.snapshot();
        for (int size : new int[] {2, 4, 8}) {
            for (int before = 1; before < size; before++) {
                long a = 0x1000 + CHUNK - before;
                long v = 0x8877_6655_4433_2211L & (size == 8 ? -1L : (1L << 8 * size) - 1);
                m.write(a, size, v);
                assertEquals(v, m.read(a, size), "size " + size + " at " + Long.toHexString(a));
                m.restore(s);
                assertEquals(0x1111_1111_1111_1111L, m.read(0x1000 + CHUNK - 8, 8));
                assertEquals(0x2222_2222_2222_2222L, m.read(0x1000 + CHUNK, 8));
            }
        }
        m.write(0x1000 + CHUNK - 2, 4, 0xAABB_CCDDL);
        assertEquals(0xCCDD_1111_1111_1111L, m.read(0x1000 + CHUNK - 8, 8));
        assertEquals(0x2222_2222_2222_AABBL, m.read(0x1000 + CHUNK, 8));
        assertEquals(0xAABB_CCDDL, m.peek(0x1000 + CHUNK - 2, 4));
    }

    @Test
    void bulkBytesAcrossChunksAndPagesAfterASnapshot() {
        Memory m = new Memory();
        byte[] ones = new byte[3 * PageTable.CHUNK_SIZE];
        java.util.Arrays.fill(ones, (byte) 1);
        m.writeBytes(0x1F00, ones);
        Memory.Snapshot s = m.snapshot();
        byte[] data = new byte[1300];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7 + 3);
        }
        m.writeBytes(0x1E10, data);
        assertArrayEquals(data, m.readBytes(0x1E10, data.length));
        assertEquals(1, m.peek(0x1E10 + data.length, 1));
        assertEquals(0, m.peek(0x1E0F, 1));
        assertArrayEquals(new long[] {0x1000, 0x2000}, m.pageAddresses());
        m.restore(s);
        byte[] back = m.readBytes(0x1E00, 0x800);
        for (int i = 0; i < back.length; i++) {
            assertEquals(0x1E00 + i >= 0x1F00 && 0x1E00 + i < 0x1F00 + ones.length ? 1 : 0, back[i], "byte " + i);
        }
    }

    @Test
    void aFirstWriteCopiesOneChunkAndSharesTheRest() {
        PageTable t = new PageTable();
        byte[] first = t.writableChunk(7, 0, 1);
        first[0] = 42;
        PageTable frozen = t.frozenCopy();
        byte[][] before = frozen.pages[t.find(7)];
        byte[] written = t.writableChunk(7, 3, 2);
        byte[][] after = t.pages[t.find(7)];
        assertNotSame(before, after, "the page's chunk array is copied");
        assertNotSame(before[3], written);
        assertSame(written, after[3]);
        assertSame(PageTable.ZERO_CHUNK, before[3], "the snapshot still sees the zero chunk");
        for (int i = 0; i < PageTable.CHUNKS; i++) {
            if (i != 3) {
                assertSame(before[i], after[i], "chunk " + i + " shared");
            }
        }
        assertSame(written, t.writableChunk(7, 3, 2), "owned: no second copy");
        byte[] copied = t.writableChunk(7, 0, 2);
        assertNotSame(first, copied);
        assertEquals(42, copied[0]);
        assertSame(first, frozen.pages[frozen.find(7)][0]);
    }

    @Test
    void nestedSnapshotsRestoreInAnyOrder() {
        Memory m = new Memory();
        List<Memory.Snapshot> snaps = new ArrayList<>();
        for (int level = 0; level < 5; level++) {
            m.write(0x4000 + 8L * level, 8, level + 1);           // same chunk each level
            m.write(0x4000 + CHUNK * level, 4, 0x100 + level);    // a new chunk each level
            snaps.add(m.snapshot());
        }
        for (int order : new int[] {4, 0, 2, 2, 1, 3, 0}) {
            m.restore(snaps.get(order));
            for (int level = 0; level < 5; level++) {
                // level 0's chunk write (at 0x4000) overwrote the low half of its own 8-byte slot
                long expected = level == 0 ? 0x100 : level <= order ? level + 1 : 0;
                assertEquals(expected, m.read(0x4000 + 8L * level, 8), "order " + order + " level " + level);
            }
            assertEquals(2L * (order + 1), m.writeCount());
            m.write(0x4000, 8, -1);
            m.write(0x4000 + CHUNK * 6, 8, -1);
        }
    }

    @Test
    void aliasesStayCoherentAcrossCachesAndCopies() {
        Memory m = new Memory();
        m.setPageAliases(Map.of(0x10L, 0x2L)); // 0x10000 is another name of 0x2000
        m.write(0x2008, 8, 1);
        Memory.Snapshot s = m.snapshot();
        assertEquals(1, m.read(0x10008, 8), "the alias reads the target (now cached)");
        m.write(0x2008, 8, 2);                  // copy-on-write through the target's name
        assertEquals(2, m.read(0x10008, 8));
        m.write(0x10008, 8, 3);                 // and through the alias
        assertEquals(3, m.read(0x2008, 8));
        assertEquals(3, m.read(0x10008, 8));
        m.write(0x10000 + CHUNK, 8, 4);         // a chunk never written before, via the alias
        assertEquals(4, m.read(0x2000 + CHUNK, 8));
        assertArrayEquals(new long[] {0x2000}, m.pageAddresses());
        m.restore(s);
        assertEquals(1, m.read(0x10008, 8));
        assertEquals(0, m.read(0x10000 + CHUNK, 8));
        m.write(0x10008, 8, 5);
        assertEquals(5, m.read(0x2008, 8));
        m.setPageAliases(null);
        assertEquals(0, m.read(0x10008, 8), "without the alias the page is its own");
        assertEquals(5, m.read(0x2008, 8));
    }

    @Test
    void sameContentsComparesEveryChunk() {
        Memory a = new Memory();
        Memory b = new Memory();
        a.write(0x1FFF, 1, 9);
        b.write(0x1000, 1, 0);
        assertFalse(a.sameContents(b));
        b.write(0x1FFF, 1, 9);
        assertTrue(a.sameContents(b));
    }

    /** Random operations against a byte map, with snapshots, restores and an aliased page. */
    @Test
    void randomSequencesMatchAPlainByteMap() {
        Random random = new Random(20261127);
        Memory m = new Memory();
        m.setPageAliases(Map.of(0x9L, 0x3L));
        byte[] model = new byte[0xC000];
        List<Memory.Snapshot> snaps = new ArrayList<>();
        List<byte[]> models = new ArrayList<>();
        long[] bases = {0x1000, 0x1000 + CHUNK, 0x2000, 0x3000 + 3 * CHUNK, 0x4000, 0x9000 + CHUNK, 0xA000};
        for (int step = 0; step < 20_000; step++) {
            long a = bases[random.nextInt(bases.length)] + random.nextInt(33) - 16;
            int op = random.nextInt(20);
            if (op < 10) {
                int size = 1 << random.nextInt(4);
                long v = random.nextLong();
                m.write(a, size, v);
                for (int i = 0; i < size; i++) {
                    model[physical(a + i)] = (byte) (v >>> 8 * i);
                }
            } else if (op < 16) {
                int size = 1 << random.nextInt(4);
                long expected = 0;
                for (int i = size - 1; i >= 0; i--) {
                    expected = expected << 8 | (model[physical(a + i)] & 0xFF);
                }
                assertEquals(expected, m.read(a, size), "step " + step + " at " + Long.toHexString(a));
            } else if (op == 16) {
                byte[] bytes = new byte[random.nextInt(1200)];
                random.nextBytes(bytes);
                m.writeBytes(a, bytes);
                for (int i = 0; i < bytes.length; i++) {
                    model[physical(a + i)] = bytes[i];
                }
            } else if (op == 17) {
                snaps.add(m.snapshot());
                models.add(model.clone());
            } else if (!snaps.isEmpty()) {
                int k = random.nextInt(snaps.size());
                m.restore(snaps.get(k));
                model = models.get(k).clone();
            }
        }
        assertTrue(snaps.size() > 500, "the sequence took " + snaps.size() + " snapshots");
        for (long page = 0; page < 0xC; page++) {
            byte[] bytes = m.readBytes(page << 12, Memory.PAGE_SIZE);
            for (int i = 0; i < bytes.length; i++) {
                long a = (page << 12) + i;
                assertEquals(model[physical(a)], bytes[i], "at " + Long.toHexString(a));
            }
        }
    }

    private static int physical(long address) {
        return (int) (address >>> 12 == 0x9 ? (0x3L << 12) | (address & 0xFFF) : address);
    }
}
