package io.entrysim.check;

import io.entrysim.diag.AsmError;
import io.entrysim.diag.Locations;
import io.entrysim.parallel.OncePerKey;
import io.entrysim.parallel.Workers;
import io.entrysim.session.Build;
import io.entrysim.session.BuildOptions;
import io.entrysim.session.Machine;
import io.entrysim.session.RunOutcome;
import io.entrysim.session.Toolchain;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs spec files: each file is built once per distinct set of build options and the build is
 * shared by every configuration that has them; configurations run in parallel, each on a
 * {@link Machine} of its own, and so do the boundaries of an NMI sweep (each worker restores a
 * snapshot of its own machine per boundary instead of rebuilding). Results come back in spec
 * order and are the same whatever the scheduling.
 */
public final class SpecRunner {
    private record BuildKey(Path file, BuildOptions options) {}

    private final OncePerKey<BuildKey, Build> builds = new OncePerKey<>();

    /** The test points of the spec files under {@code paths}, in order (see {@link SpecFiles}). */
    public static List<TestPoint> points(List<Path> paths) {
        return points(paths, Workers.of(1));
    }

    /**
     * As {@link #points(List)}, the files read on {@code workers} (reading the RUN lines' options
     * is a good part of a short {@code entrysim test}).
     */
    public static List<TestPoint> points(List<Path> paths, Workers workers) {
        List<TestPoint> out = new ArrayList<>();
        workers.map(SpecFiles.under(paths), SpecRunner::points).forEach(out::addAll);
        return out;
    }

    /**
     * The test points of one spec file: each configuration, then its NMI sweep when asked for
     * (except for a configuration with its own {@code --nmi-at}).
     */
    public static List<TestPoint> points(Path file) {
        List<TestPoint> out = new ArrayList<>();
        try {
            SpecFile spec = SpecFile.read(file);
            NmiSweepSpec sweep = spec.nmi() == null ? null : NmiSweepSpec.parse(spec.nmi());
            for (RunConfiguration c : RunConfigurations.of(spec)) {
                List<Expectation> expect = Expectations.forTag(spec, c.tag());
                if (expect.isEmpty()) {
                    expect = List.of(new Expectation.RunsClean(null));
                }
                out.add(new TestPoint(file.toString(), c, expect, null, null));
                // a run that injects its own NMIs is an NMI scenario already: no sweep on top
                if (sweep != null && c.run().nmiAt().isEmpty()) {
                    out.add(new TestPoint(file.toString(), c, expect, sweep, null));
                }
            }
        } catch (AsmError e) {
            return List.of(new TestPoint(file.toString(), null, null, null, e));
        }
        return out;
    }

    /**
     * Runs every point, {@code threads} at a time (points, and the boundaries of each NMI sweep,
     * share the threads); the results are in point order and the same whatever {@code threads}.
     */
    public List<TestResult> run(List<TestPoint> points, int threads) {
        try (Workers workers = Workers.of(threads)) {
            return run(points, workers);
        }
    }

    /** As {@link #run(List, int)}, on {@code workers}. */
    public List<TestResult> run(List<TestPoint> points, Workers workers) {
        return workers.map(points, p -> run(p, workers));
    }

    /** Runs one point on this thread. Bad input (the spec, the build, an option) fails it with its diagnostic. */
    public TestResult run(TestPoint p) {
        return run(p, Workers.of(1));   // one job: no pool, nothing to close
    }

    /** Runs one point, its NMI sweep's boundaries on {@code workers}. */
    public TestResult run(TestPoint p, Workers workers) {
        long start = System.nanoTime();
        List<String> diag = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        TestResult.Status status;
        if (p.specError() != null) {
            diag.addAll(p.specError().format().lines().toList());
            status = TestResult.Status.FAIL;
        } else if (p.config().skip() != null) {
            diag.add(p.config().skip());
            status = TestResult.Status.SKIP;
        } else {
            try {
                Build build = build(p.config());
                if (p.sweep() == null) {
                    plain(p, build, diag);
                } else {
                    long boundaries = NmiSweep.run(p, build, diag, workers);
                    notes.add("NMI before each of " + boundaries + " boundaries: invariants and expectations hold");
                }
            } catch (AsmError e) {
                diag.addAll(e.format().lines().toList());
                if (p.config().line() != null && e.origin() != null && e.origin().pos().file().startsWith("<--")) {
                    // an option's value, not a place in a file: say which RUN line gave it
                    diag.add("  in the options of ENTRYSIM-RUN at " + p.config().line().pos().fileLine());
                }
                diag.add("reproduce: " + p.config().reproduce(List.of()));
            } catch (RuntimeException | StackOverflowError bug) {
                // a bug in entrysim: this test fails saying so, the others still run, no stack trace
                diag.add("entrysim: internal error: " + bug + " (please report)");
                diag.add("reproduce: " + p.config().reproduce(List.of()));
            }
            status = diag.isEmpty() ? TestResult.Status.PASS : TestResult.Status.FAIL;
        }
        return new TestResult(p.file(), p.name(), status, diag, System.nanoTime() - start,
                status == TestResult.Status.PASS ? notes : List.of());
    }

    private Build build(RunConfiguration c) {
        return builds.get(new BuildKey(c.file().path().toAbsolutePath().normalize(), c.build()),
                () -> Toolchain.build(c.file().path(), c.build()));
    }

    private static void plain(TestPoint p, Build build, List<String> diag) {
        Machine m = Machine.create(build, p.config().run());
        Map<String, Long> initial = StateValues.read(m.cpu());
        RunOutcome out = m.run();
        Observation o = new Observation(m, out, initial, initial.get("rsp"), out.cr3Writes());
        for (Expectation e : p.expectations()) {
            Mismatch miss = e.check(o);
            if (miss != null) {
                describe(miss, diag);
            }
        }
        if (!diag.isEmpty()) {
            diag.add("reproduce: " + p.config().reproduce(List.of()));
        }
    }

    /** A mismatch as diagnostic lines: the spec line, expected, actual, the instruction concerned. */
    static void describe(Mismatch miss, List<String> diag) {
        if (miss.spec() != null) {
            diag.add(miss.spec().pos().fileLine() + ": ENTRYSIM-EXPECT" + (miss.spec().tag() == null ? "" : "[" + miss.spec().tag() + "]")
                    + ": " + miss.spec().text());
        }
        diag.add("  expected: " + miss.expected());
        diag.add("  actual:   " + miss.actual());
        if (miss.where() != null && miss.where().origin != null) {
            diag.add("  at:       " + Locations.describe(miss.where().origin, miss.where().text));
        }
    }
}
