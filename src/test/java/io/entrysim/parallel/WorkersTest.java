package io.entrysim.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@link Workers}: the answers are a sequential loop's whatever the scheduling (order, lowest
 * hit, lowest throwable), and more than one job really runs pieces at the same time.
 */
class WorkersTest {
    static final List<Integer> TEN = IntStream.range(0, 10).boxed().toList();

    /** Waits (bounded: a broken pool fails the test rather than hanging it). */
    static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(20, TimeUnit.SECONDS), "timed out waiting for another worker");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void twoJobsRunTwoPiecesAtOnceAndGiveTheResultsInOrder() {
        CountDownLatch both = new CountDownLatch(2);
        try (Workers w = Workers.of(2)) {
            // the first two pieces each wait for the other: only two threads at once get past them
            List<Integer> r = w.map(TEN, i -> {
                // the pool's own threads: never the caller's, never the common pool's
                assertTrue(Thread.currentThread() instanceof ForkJoinWorkerThread t && t.getPool() != ForkJoinPool.commonPool(),
                        Thread.currentThread().getName());
                if (i < 2) {
                    both.countDown();
                    await(both);
                }
                return i * i;
            });
            assertEquals(TEN.stream().map(i -> i * i).toList(), r);
            assertEquals(2, w.threadsUsed());
        }
    }

    @Test
    void oneJobIsTheCallersThreadInOrder() {
        List<Integer> seen = new ArrayList<>();
        Thread caller = Thread.currentThread();
        try (Workers w = Workers.of(1)) {
            w.map(TEN, i -> {
                assertSame(caller, Thread.currentThread());
                seen.add(i);
                return i;
            });
            assertEquals(1, w.threadsUsed());
        }
        assertEquals(TEN, seen);
    }

    @Test
    void firstIsTheLowestHitEvenWhenALaterOneIsFoundFirst() {
        CountDownLatch sevenFound = new CountDownLatch(1);
        try (Workers w = Workers.of(2)) {
            Workers.Found<Integer, String> f = w.first(TEN.iterator(), i -> {
                if (i == 3) {
                    await(sevenFound);   // the other worker finds 7 meanwhile
                    return "three";
                }
                if (i == 7) {
                    sevenFound.countDown();
                    return "seven";
                }
                return null;
            });
            assertEquals(3, f.index());
            assertEquals(3, f.item());
            assertEquals("three", f.result());
        }
    }

    @Test
    void firstIsNullWhenNothingHitsAndStopsClaimingPastAHit() {
        AtomicInteger ran = new AtomicInteger();
        for (int jobs : new int[] {1, 2, 3}) {
            try (Workers w = Workers.of(jobs)) {
                assertNull(w.first(TEN.iterator(), i -> null));
                ran.set(0);
                Workers.Found<Integer, Integer> f = w.first(IntStream.range(0, 100_000).boxed().iterator(), i -> {
                    ran.incrementAndGet();
                    return i == 5 ? i : null;
                });
                assertEquals(5, f.index());
                assertTrue(ran.get() < 100_000, jobs + " jobs ran " + ran.get() + " pieces: past the hit");
            }
        }
    }

    @Test
    void theThrowableRethrownIsTheLowestIndexs() {
        for (int jobs : new int[] {1, 2, 4}) {
            try (Workers w = Workers.of(jobs)) {
                // every worker throws, the higher indices sooner: still index 2's is rethrown
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.map(TEN, i -> {
                    if (i == 2) {
                        sleep(50);
                    }
                    if (i >= 2) {
                        throw new IllegalStateException("at " + i);
                    }
                    return i;
                }));
                assertEquals("at 2", e.getMessage());
                // a hit before the throwable: a sequential loop stops there and never meets it
                Workers.Found<Integer, Integer> f = w.first(TEN.iterator(), i -> {
                    if (i >= 2) {
                        throw new IllegalStateException("at " + i);
                    }
                    return i == 1 ? 1 : null;
                });
                assertEquals(1, f.index());
                StackOverflowError s = assertThrows(StackOverflowError.class, () -> w.first(TEN.iterator(), i -> {
                    if (i == 4) {
                        throw new StackOverflowError("deep");
                    }
                    return null;
                }));
                assertEquals("deep", s.getMessage());
            }
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aPerWorkerValueIsNeverSharedBetweenThreads() {
        Map<Object, Thread> owner = new ConcurrentHashMap<>();
        List<Object> made = Collections.synchronizedList(new ArrayList<>());
        try (Workers w = Workers.of(2)) {
            List<Integer> r = w.map(IntStream.range(0, 2000).boxed().toList(), 7, () -> {
                Object state = new Object();
                made.add(state);
                return state;
            }, (state, i) -> {
                Thread prev = owner.putIfAbsent(state, Thread.currentThread());
                assertTrue(prev == null || prev == Thread.currentThread(), "a worker's value used on two threads");
                return i + 1;
            });
            assertEquals(IntStream.range(1, 2001).boxed().toList(), r);
            assertTrue(made.size() <= 2, "one value per worker loop: " + made.size());
        }
    }

    @Test
    void nestedCallsShareThePoolWithoutDeadlock() {
        try (Workers w = Workers.of(2)) {
            List<Integer> sums = w.map(TEN, i -> w.map(TEN, j -> i * j).stream().mapToInt(Integer::intValue).sum());
            assertEquals(TEN.stream().map(i -> 45 * i).toList(), sums);
            Workers.Found<Integer, Integer> f = w.first(TEN.iterator(),
                    i -> w.first(TEN.iterator(), j -> i * j == 12 ? j : null) == null ? null : i);
            assertEquals(2, f.item(), "2 * 6 is the first product 12");
        }
    }

    @Test
    void jobsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> Workers.of(0));
        assertTrue(Workers.available() >= 1);
    }
}
