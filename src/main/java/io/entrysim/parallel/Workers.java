package io.entrysim.parallel;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs independent pieces of work on {@code jobs} threads so that the answer never depends on
 * the scheduling: {@link #map} gives the results in item order, {@link #first} the item of lowest
 * index with a result (what a sequential loop that stops at the first hit finds), and a piece that
 * throws counts as a result at its index, so the throwable rethrown is the one a sequential loop
 * would have met first. With one job everything runs on the caller's thread, in order.
 *
 * <p>Items are claimed in index order, a chunk at a time, from a shared cursor, so a slow item
 * never holds up the others and an iterator (a seeded random sequence, say) is read in its own
 * order. A {@code perWorker} value is made once per worker loop, for state that must not be
 * shared (a {@code Machine}). A call from inside a piece reuses the pool (fork/join work
 * stealing): nested loops neither deadlock nor add threads.
 */
public final class Workers implements AutoCloseable {
    private final int jobs;
    /** Null for one job: the caller's thread does the work. */
    private final ForkJoinPool pool;
    /** The threads that ran pieces, so tests can see the parallel path really ran. */
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

    private Workers(int jobs) {
        this.jobs = jobs;
        this.pool = jobs == 1 ? null : new ForkJoinPool(jobs);
    }

    /** {@code jobs} threads; 1 is sequential. */
    public static Workers of(int jobs) {
        if (jobs < 1) {
            throw new IllegalArgumentException("jobs must be at least 1, not " + jobs);
        }
        return new Workers(jobs);
    }

    /** The default for {@code -j}: one job per core. */
    public static int available() {
        return Runtime.getRuntime().availableProcessors();
    }

    public int jobs() {
        return jobs;
    }

    /** How many distinct threads have run pieces so far. */
    public int threadsUsed() {
        return threads.size();
    }

    /** The item of lowest index for which a piece gave a result, with that result. */
    public record Found<S, T>(long index, S item, T result) {}

    /** {@code piece} of each item, in item order. */
    public <S, T> List<T> map(List<S> items, Function<S, T> piece) {
        return map(items, 1, () -> null, (w, s) -> piece.apply(s));
    }

    /**
     * {@code piece} of each item, in item order, claimed {@code chunk} items at a time (more than
     * one when pieces are so short that claiming would show), each worker with its own
     * {@code perWorker()} value.
     */
    public <S, W, T> List<T> map(List<S> items, int chunk, Supplier<W> perWorker, BiFunction<W, S, T> piece) {
        Loop<S, W, T> loop = new Loop<>(items.iterator(), chunk, perWorker, piece, false, items.size());
        run(loop);
        loop.rethrow();
        List<T> out = new ArrayList<>(items.size());
        for (Object r : loop.results) {
            @SuppressWarnings("unchecked")
            T t = (T) r;
            out.add(t);
        }
        return out;
    }

    /** The first item (lowest index) whose piece is not null; null when none is. */
    public <S, T> Found<S, T> first(Iterator<S> items, Function<S, T> piece) {
        return first(items, 1, () -> null, (w, s) -> piece.apply(s));
    }

    /** As {@link #first(Iterator, Function)}, in chunks and with a value per worker, as {@link #map}. */
    public <S, W, T> Found<S, T> first(Iterator<S> items, int chunk, Supplier<W> perWorker, BiFunction<W, S, T> piece) {
        Loop<S, W, T> loop = new Loop<>(items, chunk, perWorker, piece, true, 0);
        run(loop);
        loop.rethrow();
        return loop.found;
    }

    private void run(Loop<?, ?, ?> loop) {
        if (pool == null) {
            loop.work();
            return;
        }
        List<RecursiveAction> loops = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            loops.add(new RecursiveAction() {
                @Override
                protected void compute() {
                    loop.work();
                }
            });
        }
        if (ForkJoinTask.getPool() == pool) {
            ForkJoinTask.invokeAll(loops);   // nested: fork onto this worker's own queue
            return;
        }
        // From outside the pool: wait on a future, which never runs the loops on this thread (a
        // task joined from outside may be, and its forks would then go to the common pool).
        try {
            CompletableFuture.runAsync(() -> ForkJoinTask.invokeAll(loops), pool).join();
        } catch (CompletionException e) {
            throw unwrapped(e);
        }
    }

    /** What a future's failure wraps, to be thrown as itself (an error message, not a wrapper's trace). */
    static RuntimeException unwrapped(CompletionException e) {
        if (e.getCause() instanceof RuntimeException r) {
            return r;
        }
        if (e.getCause() instanceof Error r) {
            throw r;
        }
        return e;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdown();
        }
    }

    /** One parallel loop over the items: the shared cursor, the results, the lowest hit. */
    private final class Loop<S, W, T> {
        private final Iterator<S> items;
        private final int chunk;
        private final Supplier<W> perWorker;
        private final BiFunction<W, S, T> piece;
        /** Stop at the first result ({@link #first}) rather than collect them all ({@link #map}). */
        private final boolean stopAtResult;
        /** Per index, for {@link #map}. */
        final Object[] results;
        /** The next index to claim; guarded by {@code this}. */
        private long next;
        /** The lowest index with a result (first) or a throwable (both): nothing past it matters. */
        private final AtomicLong bound = new AtomicLong(Long.MAX_VALUE);
        /** What happened at {@link #bound}; guarded by {@code this}. */
        Found<S, T> found;
        private Throwable thrown;

        Loop(Iterator<S> items, int chunk, Supplier<W> perWorker, BiFunction<W, S, T> piece, boolean stopAtResult, int size) {
            this.items = items;
            this.chunk = Math.max(1, chunk);
            this.perWorker = perWorker;
            this.piece = piece;
            this.stopAtResult = stopAtResult;
            this.results = new Object[size];
        }

        void work() {
            W state = null;
            boolean made = false;
            List<S> batch = new ArrayList<>(chunk);
            while (true) {
                long start;
                batch.clear();
                synchronized (this) {
                    if (next > bound.get()) {
                        return;
                    }
                    start = next;
                    while (batch.size() < chunk && items.hasNext()) {
                        batch.add(items.next());
                    }
                    next += batch.size();
                }
                if (batch.isEmpty()) {
                    return;
                }
                threads.add(Thread.currentThread());
                for (int i = 0; i < batch.size(); i++) {
                    long index = start + i;
                    if (index > bound.get()) {
                        return;
                    }
                    S item = batch.get(i);
                    try {
                        if (!made) {
                            state = perWorker.get();
                            made = true;
                        }
                        T r = piece.apply(state, item);
                        if (!stopAtResult) {
                            results[(int) index] = r;
                        } else if (r != null) {
                            hit(index, item, r, null);
                        }
                    } catch (RuntimeException | Error e) {
                        hit(index, item, null, e);
                    }
                }
            }
        }

        private synchronized void hit(long index, S item, T result, Throwable t) {
            if (index < bound.get()) {
                bound.set(index);
                found = t == null ? new Found<>(index, item, result) : null;
                thrown = t;
            }
        }

        synchronized void rethrow() {
            if (thrown instanceof RuntimeException r) {
                throw r;
            }
            if (thrown instanceof Error e) {
                throw e;
            }
        }
    }
}
