package io.entrysim.diff;

import io.entrysim.diff.DiffRunner.Outcome;
import io.entrysim.diff.Programs.GenProgram;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A differential run: programs {@code first .. first+count-1} of run {@code seed}, in batches of
 * {@code batch} per native process. Stops early once {@link #MAX_REPORTED} programs failed; those
 * are shrunk and written to {@code target/diff-failures} as ready-to-run {@code .S} files.
 */
final class DiffCampaign {
    static final int MAX_REPORTED = 3;
    private static final long PROGRESS_NANOS = 60_000_000_000L;

    record Config(long seed, long count, long first, int batch) {}

    record Failure(long index, Outcome outcome) {}

    record Summary(long ran, long instructions, double seconds, long failing, List<Failure> failures) {}

    private DiffCampaign() {}

    /** Seed of program {@code index} of run {@code seed}: a SplitMix64 step, so neighbours are unrelated. */
    static long programSeed(long seed, long index) {
        long[] s = {seed ^ (index * 0xD1B5_4A32_D192_ED03L)};
        return DiffLayout.splitmix(s);
    }

    static Summary run(Config c, DiffRunner runner) throws Exception {
        long started = System.nanoTime();
        long end = c.first() + c.count();
        long ran = 0, instructions = 0, failing = 0;
        long lastProgress = started;
        List<Failure> failures = new ArrayList<>();
        ExecutorService generator = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "diff-generator");
            t.setDaemon(true);
            return t;
        });
        try {
            // The next batch is generated while this one runs.
            Future<List<GenProgram>> next = generator.submit(() -> generate(c.seed(), c.first(), Math.min(end, c.first() + c.batch())));
            for (long at = c.first(); at < end && failures.size() < MAX_REPORTED; at += c.batch()) {
                List<GenProgram> batch = next.get();
                long following = at + c.batch();
                if (following < end) {
                    next = generator.submit(() -> generate(c.seed(), following, Math.min(end, following + c.batch())));
                }
                List<Outcome> outcomes = runner.run(batch);
                ran += batch.size();
                long now = System.nanoTime();
                if (now - lastProgress > PROGRESS_NANOS) { // a long run says how far it is
                    lastProgress = now;
                    System.out.printf(Locale.ROOT, "[diff] ... %d programs, %d failing, %.0f s%n", ran, failing, (now - started) / 1e9);
                }
                for (int i = 0; i < outcomes.size(); i++) {
                    instructions += batch.get(i).instructionCount();
                    if (outcomes.get(i).verdict().kind() != Verdict.Kind.AGREE) {
                        failing++;
                        if (failures.size() < MAX_REPORTED) {
                            failures.add(new Failure(at + i, outcomes.get(i)));
                        }
                    }
                }
            }
        } finally {
            generator.shutdownNow();
        }
        return new Summary(ran, instructions, (System.nanoTime() - started) / 1e9, failing, failures);
    }

    private static List<GenProgram> generate(long seed, long from, long to) {
        List<GenProgram> batch = new ArrayList<>();
        for (long i = from; i < to; i++) {
            batch.add(ProgramGenerator.generate(programSeed(seed, i)));
        }
        return batch;
    }

    /** Shrinks each failure (mismatches only), writes its reproducer, and returns them all as one text. */
    static String report(Config c, List<Failure> failures, DiffRunner runner) throws Exception {
        StringBuilder report = new StringBuilder();
        Path dir = Path.of("target", "diff-failures");
        Files.createDirectories(dir);
        for (Failure f : failures) {
            GenProgram p = f.outcome().program();
            Verdict v = f.outcome().verdict();
            if (v.mismatch()) {
                p = Shrinker.shrink(p, candidates -> runner.run(candidates).stream().map(o -> o.verdict().mismatch()).toList());
                v = runner.run(List.of(p)).get(0).verdict();
            }
            String origin = String.format("run seed 0x%x, program %d (program seed 0x%x); rerun it alone: "
                + "-Ddiff.seed=0x%x -Ddiff.first=%d -Ddiff.count=1", c.seed(), f.index(), p.seed(), c.seed(), f.index());
            String text = Reproducer.render(p, origin, v);
            Path file = dir.resolve(String.format("diff-%x-%d.S", c.seed(), f.index()));
            Files.writeString(file, text);
            report.append("\n==== ").append(file).append(" ====\n").append(text);
        }
        return report.toString();
    }
}
