package io.entrysim.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Memory against a plain byte map under random writes, snapshots and restores in any order: the
 * recycling of copied chunks and pages on restore (a sweep's allocation-free steady state) must
 * never let a later write show through a snapshot, and restores must bring back exactly the bytes.
 */
class MemorySnapshotModelTest {
    private static final long[] PAGES = {0x1000, 0x2000, 0x7fff_f000L, 0xffff_8800_0000_0000L, 0x40_0000};

    @Test
    void randomWritesSnapshotsAndRestoresMatchAByteMap() {
        for (long seed = 1; seed <= 40; seed++) {
            run(new Random(seed), seed);
        }
    }

    @Test
    void aSweepFromOneSnapshotStaysExact() {
        Memory m = new Memory();
        m.write(0x1000, 8, 0x1111);
        Memory.Snapshot s = m.snapshot();
        for (int i = 0; i < 200; i++) {
            m.restore(s);
            assertEquals(0x1111, m.read(0x1000, 8), "state " + i);
            assertEquals(0, m.read(0x2000 + 8 * (i % 64), 8), "state " + i + ": a new page starts zero");
            m.write(0x1000, 8, i);
            m.write(0x2000 + 8 * (i % 64), 8, -1);
            m.write(0x1200, 4, i);
        }
        m.restore(s);
        assertEquals(0x1111, m.read(0x1000, 8));
        assertEquals(0, m.read(0x1200, 4));
        assertEquals(1, m.pageAddresses().length, "the pages written after the snapshot are gone again");
    }

    private static void run(Random rnd, long seed) {
        Memory m = new Memory();
        Map<Long, Byte> model = new HashMap<>();
        List<Memory.Snapshot> snaps = new ArrayList<>();
        List<Map<Long, Byte>> models = new ArrayList<>();
        for (int op = 0; op < 3000; op++) {
            int kind = rnd.nextInt(20);
            if (kind < 15) {
                long a = PAGES[rnd.nextInt(PAGES.length)] + rnd.nextInt(Memory.PAGE_SIZE + 16) - 8;
                int size = 1 << rnd.nextInt(4);
                long v = rnd.nextLong();
                m.poke(a, size, v);
                for (int i = 0; i < size; i++) {
                    model.put(a + i, (byte) (v >>> (8 * i)));
                }
            } else if (kind < 17) {
                snaps.add(m.snapshot());
                models.add(new HashMap<>(model));
            } else if (!snaps.isEmpty()) {
                int k = rnd.nextInt(snaps.size());
                m.restore(snaps.get(k));
                model = new HashMap<>(models.get(k));
            }
            if (op % 50 == 0) {
                check(m, model, rnd, "seed " + seed + " op " + op);
            }
        }
        for (int k = 0; k < snaps.size(); k++) {
            m.restore(snaps.get(k));
            check(m, models.get(k), rnd, "seed " + seed + " snapshot " + k);
        }
    }

    private static void check(Memory m, Map<Long, Byte> model, Random rnd, String where) {
        for (Map.Entry<Long, Byte> e : model.entrySet()) {
            assertEquals(e.getValue().byteValue(), (byte) m.peek(e.getKey(), 1), where + " at 0x" + Long.toHexString(e.getKey()));
        }
        for (int i = 0; i < 200; i++) {
            long a = PAGES[rnd.nextInt(PAGES.length)] + rnd.nextInt(Memory.PAGE_SIZE);
            assertEquals(model.getOrDefault(a, (byte) 0).byteValue(), (byte) m.peek(a, 1), where + " at 0x" + Long.toHexString(a));
        }
    }
}
