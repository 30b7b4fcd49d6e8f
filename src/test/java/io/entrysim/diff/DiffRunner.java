package io.entrysim.diff;

import io.entrysim.diff.Programs.FinalState;
import io.entrysim.diff.Programs.GenProgram;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a batch on both sides at once: the native build and run (as, gcc, the batch process) in a
 * background thread while entrysim runs the same batch in the caller's, so the two cores are busy.
 */
final class DiffRunner implements AutoCloseable {
    /** Both final states of a program and how they compare. */
    record Outcome(GenProgram program, FinalState host, FinalState sim, Verdict verdict) {}

    private final NativeHarness host;
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "diff-native");
        t.setDaemon(true);
        return t;
    });

    DiffRunner(NativeHarness host) {
        this.host = host;
    }

    List<Outcome> run(List<GenProgram> batch) throws Exception {
        Future<List<FinalState>> native_ = background.submit(() -> host.run(batch));
        List<FinalState> sim = EntrysimHarness.run(batch);
        List<FinalState> hw = native_.get();
        List<Outcome> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            out.add(new Outcome(batch.get(i), hw.get(i), sim.get(i), Verdict.of(hw.get(i), sim.get(i))));
        }
        return out;
    }

    @Override
    public void close() {
        background.shutdownNow();
    }
}
