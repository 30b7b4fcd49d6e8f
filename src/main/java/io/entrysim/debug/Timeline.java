package io.entrysim.debug;

import io.entrysim.session.Machine;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The run's history, for reverse execution: a machine snapshot every {@link #INTERVAL} steps
 * (cheap: memory is copy-on-write) and, for every state 0..{@link #known()}, the index of the
 * instruction about to run and the call depth. Reverse commands find their target step in the
 * logs, then restore the nearest snapshot before it and re-execute, which is exact because the
 * machine is deterministic (the debugger re-applies the user's own injections, see
 * {@link Debugger}).
 */
final class Timeline {
    /** Steps between snapshots: a reverse-stepi re-executes fewer than this many instructions. */
    static final int INTERVAL = 1024;

    /** Slot k: the state after k * INTERVAL steps, or null while not taken. */
    private final List<Machine.Snapshot> snapshots = new ArrayList<>();
    private int[] index = new int[INTERVAL];
    private int[] depth = new int[INTERVAL];
    /** States 0..known are logged. */
    private long known = -1;

    /** Logs state {@code step}: the instruction index about to run and the call depth. */
    void record(long step, int insnIndex, int callDepth) {
        if (step > Integer.MAX_VALUE - 8) {
            return; // beyond what arrays hold; reverse execution stays within the logged past
        }
        int s = (int) step;
        if (s >= index.length) {
            int n = Math.max(s + 1, index.length * 2);
            index = Arrays.copyOf(index, n);
            depth = Arrays.copyOf(depth, n);
        }
        index[s] = insnIndex;
        depth[s] = callDepth;
        known = Math.max(known, step);
    }

    /** Takes the snapshot of state {@code step} when it is a snapshot point without one. */
    void snapshotIfDue(long step, Machine machine) {
        if (step % INTERVAL != 0) {
            return;
        }
        int slot = (int) (step / INTERVAL);
        while (snapshots.size() <= slot) {
            snapshots.add(null);
        }
        if (snapshots.get(slot) == null) {
            snapshots.set(slot, machine.snapshot());
        }
    }

    /** The latest snapshot at or before {@code step}, with its step. */
    Machine.Snapshot floor(long step) {
        for (int slot = (int) Math.min(step / INTERVAL, snapshots.size() - 1); slot >= 0; slot--) {
            if (snapshots.get(slot) != null) {
                return snapshots.get(slot);
            }
        }
        throw new IllegalStateException("no snapshot of state 0");
    }

    long known() {
        return known;
    }

    int indexAt(long step) {
        return index[(int) step];
    }

    int depthAt(long step) {
        return depth[(int) step];
    }

    /** Forgets every state after {@code step}: the future changed (an injection was added). */
    void truncateAfter(long step) {
        known = Math.min(known, step);
        int keep = (int) (step / INTERVAL) + 1;
        while (snapshots.size() > keep) {
            snapshots.remove(snapshots.size() - 1);
        }
    }
}
