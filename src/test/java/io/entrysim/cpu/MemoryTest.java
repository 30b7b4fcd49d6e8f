package io.entrysim.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryTest {
    @Test
    void unwrittenMemoryReadsZeroWithoutAllocating() {
        Memory m = new Memory();
        assertEquals(0, m.read(0xFFFF_FFFF_FFFF_FFF8L, 8));
        assertEquals(0, m.read(0x1234, 1));
        assertEquals(0, m.pageAddresses().length);
    }

    @Test
    void littleEndianAtEverySize() {
        Memory m = new Memory();
        m.write(0x1000, 8, 0x0807_0605_0403_0201L);
        assertEquals(0x01, m.read(0x1000, 1));
        assertEquals(0x0302, m.read(0x1001, 2));
        assertEquals(0x0605_0403L, m.read(0x1002, 4));
        assertEquals(0x08, m.read(0x1007, 1));
        m.write(0x1003, 2, 0xBBAA); // bytes 3, 4
        assertEquals(0x0807_06BB_AA03_0201L, m.read(0x1000, 8));
        m.write(0x1000, 4, 0xFFFF_FFFFL);
        assertEquals(0x0807_06BB_FFFF_FFFFL, m.read(0x1000, 8));
        m.write(0x1007, 1, 0x80);
        assertEquals(0x8007_06BB_FFFF_FFFFL, m.read(0x1000, 8));
        assertEquals(0x80, m.read(0x1007, 1), "reads are zero-extended");
    }

    @Test
    void pageCrossingAccessesAtEverySize() {
        Memory m = new Memory();
        for (int size : new int[] {2, 4, 8}) {
            for (int before = 1; before < size; before++) {
                long a = 0x2000 - before;
                long v = 0x8877_6655_4433_2211L & (size == 8 ? -1L : (1L << 8 * size) - 1);
                m.write(a, size, v);
                assertEquals(v, m.read(a, size), "size " + size + " at " + Long.toHexString(a));
                assertEquals(0x11, m.peek(a, 1));
            }
        }
        assertArrayEquals(new long[] {0x1000, 0x2000}, m.pageAddresses());
        // wrap-around at the top of the address space
        m.write(-4, 8, 0x1122_3344_5566_7788L);
        assertEquals(0x1122_3344L, m.read(0, 4));
        assertEquals(0x5566_7788L, m.read(-4, 4));
    }

    @Test
    void bulkBytesAcrossPages() {
        Memory m = new Memory();
        byte[] data = new byte[10_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7);
        }
        m.writeBytes(0x3FF0, data);
        assertArrayEquals(data, m.readBytes(0x3FF0, data.length));
        assertEquals(data[20] & 0xFF, m.read(0x3FF0 + 20, 1));
        assertEquals(0, m.writeCount(), "host writes are not CPU write accesses");
    }

    @Test
    void writeCountCountsAccessesNotBytes() {
        Memory m = new Memory();
        m.write(0x1FFC, 8, 1); // page-crossing: still one access
        m.write(0x10, 1, 1);
        m.poke(0x10, 8, 5);
        m.read(0x10, 8);
        assertEquals(2, m.writeCount());
    }

    @Test
    void snapshotIsUnaffectedByLaterWritesAndRestoresExactly() {
        Memory m = new Memory();
        m.write(0x1000, 8, 1);
        m.write(0x5000, 8, 5);
        Memory.Snapshot s1 = m.snapshot();
        m.write(0x1000, 8, 2);          // copy-on-write of a shared page
        m.write(0x9000, 8, 9);          // new page
        Memory.Snapshot s2 = m.snapshot();
        m.write(0x1000, 8, 3);
        m.write(0x5000, 8, 55);

        m.restore(s1);
        assertEquals(1, m.read(0x1000, 8));
        assertEquals(5, m.read(0x5000, 8));
        assertEquals(0, m.read(0x9000, 8));
        assertEquals(2, m.writeCount());
        m.write(0x1000, 8, 100);        // must not leak into s1
        m.restore(s1);
        assertEquals(1, m.read(0x1000, 8));

        m.restore(s2);
        assertEquals(2, m.read(0x1000, 8));
        assertEquals(5, m.read(0x5000, 8));
        assertEquals(9, m.read(0x9000, 8));
        assertEquals(4, m.writeCount());
        m.restore(s2);
        m.write(0x5000, 1, 0xFF);
        m.restore(s2);
        assertEquals(5, m.read(0x5000, 8));
    }

    @Test
    void manyPagesSurviveGrowthAndSnapshots() {
        Memory m = new Memory();
        for (int i = 0; i < 1000; i++) {
            m.write((long) i << 20, 8, i);
        }
        Memory.Snapshot s = m.snapshot();
        for (int i = 0; i < 1000; i++) {
            m.write((long) i << 20, 8, -i);
        }
        m.restore(s);
        for (int i = 0; i < 1000; i++) {
            assertEquals(i, m.read((long) i << 20, 8));
        }
        assertEquals(1000, m.pageAddresses().length);
    }

    @Test
    void sameContentsTreatsAbsentPagesAsZero() {
        Memory a = new Memory();
        Memory b = new Memory();
        a.write(0x1000, 8, 0);
        assertTrue(a.sameContents(b));
        b.write(0x7000, 1, 1);
        assertFalse(a.sameContents(b));
        assertFalse(b.sameContents(a));
    }

    @Test
    void accessCheckerSeesCpuAccessesOnly() {
        Memory m = new Memory();
        List<String> seen = new ArrayList<>();
        m.setAccessChecker((address, size, kind) -> seen.add(kind + "@" + Long.toHexString(address) + "/" + size));
        m.write(0x10, 4, 1);
        m.read(0x10, 2);
        m.checkFetch(0x20, 3);
        m.peek(0x10, 8);
        m.poke(0x10, 8, 0);
        m.readBytes(0, 10);
        m.writeBytes(0, new byte[3]);
        assertEquals(List.of("WRITE@10/4", "READ@10/2", "FETCH@20/3"), seen);
    }

    @Test
    void refusedAccessChangesNothing() {
        Memory m = new Memory();
        m.setAccessChecker((address, size, kind) -> {
            if (kind == AccessKind.WRITE) {
                throw CpuFault.pageFault(address, CpuFault.PF_WRITE, "no");
            }
        });
        CpuFault f = assertThrows(CpuFault.class, () -> m.write(0x10, 8, 1));
        assertEquals("#PF(2) address 0x10: no", f.getMessage());
        assertEquals(0, m.writeCount());
        assertEquals(0, m.read(0x10, 8));
    }
}
