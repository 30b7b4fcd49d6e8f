package io.entrysim.parallel;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Values computed at most once per key however many threads ask (a build shared by every run
 * with the same options): the first caller computes, the others wait for it; a failure is
 * remembered and rethrown to every caller, as the sequential code would meet it each time.
 * Unlike {@code ConcurrentHashMap.computeIfAbsent}, a long computation blocks no other key.
 */
public final class OncePerKey<K, V> {
    private final Map<K, CompletableFuture<V>> values = new ConcurrentHashMap<>();

    /** The value for {@code key}: {@code compute}'s, by whichever caller came first. */
    public V get(K key, Supplier<V> compute) {
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> f = values.putIfAbsent(key, mine);
        if (f == null) {
            try {
                mine.complete(compute.get());
            } catch (RuntimeException | Error e) {
                mine.completeExceptionally(e);
            }
            f = mine;
        }
        try {
            return f.join();
        } catch (CompletionException e) {
            throw Workers.unwrapped(e);
        }
    }
}
