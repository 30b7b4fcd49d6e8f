package io.entrysim.equiv;

import io.entrysim.parallel.OncePerKey;
import io.entrysim.parallel.Workers;
import io.entrysim.session.Build;
import io.entrysim.session.BuildOptions;
import io.entrysim.session.RunSpec;
import io.entrysim.session.Toolchain;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

/**
 * Runs two variants from the same input states and compares what they make observable
 * ({@link Observed}). The states are the product of the {@link Dimension}s: all of them when there
 * are at most {@code maxStates}, else {@code maxStates} drawn at random. The first state where the
 * variants differ is shrunk: each dimension in turn takes the simplest value (earliest in its
 * list) for which they still differ, until no dimension can be simplified further.
 *
 * <p>The states, a dimension's simpler values and the NMI boundaries run on the {@link Workers}
 * given, each run on a machine of its own over the shared (read-only) builds; the verdict is the
 * sequential one whatever the number of workers, as "first" always means the lowest-numbered.
 *
 * <p>With {@code nmiEach}, each state is also run with an NMI before each instruction boundary
 * of each variant in turn: the outcomes A can reach under some NMI interleaving must be outcomes
 * B can reach (the run without NMI included), and the other way round. The handler's own CR3 and
 * memory writes are not compared ({@link VariantRun}).
 */
public final class Equivalence {
    /** The settings of one comparison. */
    public record Settings(Path a, Path b, BuildOptions build, RunSpec runA, RunSpec runB, List<Dimension> over,
                           Set<String> ignore, boolean flags, boolean stack, long maxStates, long seed, boolean nmiEach) {}

    /** A counterexample: the state, the first differing observable, and both variants' observables. */
    public record Difference(List<String> state, String what, String valueA, String valueB, Observed a, Observed b) {}

    /**
     * The verdict.
     *
     * @param states how many states were compared
     * @param exhaustive whether that was every state of the domain
     * @param difference null when equivalent
     */
    public record Verdict(long states, boolean exhaustive, long seed, Difference difference) {}

    private final Settings s;
    private final Workers workers;
    private final OncePerKey<BuildOptions, Build[]> builds = new OncePerKey<>();

    /** A comparison on the caller's thread. */
    public Equivalence(Settings settings) {
        this(settings, Workers.of(1));
    }

    /** A comparison whose states (and NMI boundaries) run on {@code workers}. */
    public Equivalence(Settings settings, Workers workers) {
        this.s = settings;
        this.workers = workers;
    }

    public Verdict run() {
        long total = 1;
        for (Dimension d : s.over()) {
            total = Math.multiplyExact(total, Math.max(1, d.values().size()));
            if (total > s.maxStates()) {
                total = -1;
                break;
            }
        }
        boolean exhaustive = total >= 0;
        long count = exhaustive ? total : s.maxStates();
        // the lowest-numbered differing state, whichever worker finds one first: as a sequential run
        Workers.Found<int[], Difference> found = workers.first(exhaustive ? every(count) : sample(count), this::compare);
        if (found != null) {
            return new Verdict(found.index() + 1, exhaustive, s.seed(), shrink(found.item(), found.result()));
        }
        return new Verdict(count, exhaustive, s.seed(), null);
    }

    /** The states of the domain in order: an odometer whose last dimension varies fastest. */
    private Iterator<int[]> every(long count) {
        return LongStream.range(0, count).mapToObj(n -> {
            int[] index = new int[s.over().size()];
            long rest = n;
            for (int i = index.length - 1; i >= 0; i--) {
                int size = s.over().get(i).values().size();
                index[i] = (int) (rest % size);
                rest /= size;
            }
            return index;
        }).iterator();
    }

    /** {@code count} states drawn with the seed, in the order drawn (the workers claim them in that order). */
    private Iterator<int[]> sample(long count) {
        Random rng = new Random(s.seed());
        return LongStream.range(0, count).mapToObj(n -> {
            int[] index = new int[s.over().size()];
            for (int i = 0; i < index.length; i++) {
                index[i] = rng.nextInt(s.over().get(i).values().size());
            }
            return index;
        }).iterator();
    }

    private Difference shrink(int[] index, Difference found) {
        int[] best = index.clone();
        Difference diff = found;
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int i = 0; i < best.length; i++) {
                // the simplest value of dimension i that still differs, tried together
                int[] from = best;
                int dim = i;
                Workers.Found<int[], Difference> simpler = workers.first(IntStream.range(0, best[i]).mapToObj(v -> {
                    int[] tryIt = from.clone();
                    tryIt[dim] = v;
                    return tryIt;
                }).iterator(), this::compare);
                if (simpler != null) {
                    best = simpler.item();
                    diff = simpler.result();
                    progress = true;
                }
            }
        }
        return diff;
    }

    /** Runs both variants in the state {@code index} picks; null when they agree. */
    Difference compare(int[] index) {
        BuildOptions build = s.build();
        Set<String> features = null;
        Map<String, Boolean> keys = new LinkedHashMap<>(build.staticKeys());
        List<String> sets = new ArrayList<>();
        List<String> mems = new ArrayList<>();
        List<String> state = new ArrayList<>();
        for (int i = 0; i < index.length; i++) {
            Dimension d = s.over().get(i);
            String v = d.values().get(index[i]);
            state.add(d.show(v));
            switch (d.kind()) {
                case REGISTER -> sets.add(d.name() + "=" + v);
                case MEMORY -> mems.add(d.name() + "=" + v + ":" + d.size());
                case FEATURE -> features = io.entrysim.kernel.CpuFeatures.parse(List.of(v));
                case STATIC_KEY -> keys.put(d.name(), v.equals("1"));
            }
        }
        if (features != null) {
            build = build.withFeatures(features);
        }
        build = build.withStaticKeys(keys);
        BuildOptions options = build;
        Build[] pair = builds.get(options, () -> workers.map(List.of(s.a(), s.b()), f -> Toolchain.build(f, options))
                .toArray(new Build[0]));
        RunSpec specA = with(s.runA(), sets, mems);
        RunSpec specB = with(s.runB(), sets, mems);
        VariantRun a = new VariantRun(pair[0], specA, s.stack()).run(0);
        VariantRun b = new VariantRun(pair[1], specB, s.stack()).run(0);
        Set<Long> written = new LinkedHashSet<>(a.written);
        written.addAll(b.written);
        Observed oa = a.observe(written);
        Observed ob = b.observe(written);
        String[] diff = oa.firstDifference(ob, s.ignore(), s.flags());
        if (diff != null) {
            return new Difference(state, diff[0], diff[1], diff[2], oa, ob);
        }
        if (!s.nmiEach()) {
            return null;
        }
        Set<String> reachableA = reachable(pair[0], specA, a.outcome.steps(), written, oa);
        Set<String> reachableB = reachable(pair[1], specB, b.outcome.steps(), written, ob);
        Difference d = unmatched(pair[0], specA, a.outcome.steps(), written, reachableB, ob, state, "A", false);
        return d != null ? d : unmatched(pair[1], specB, b.outcome.steps(), written, reachableA, oa, state, "B", true);
    }

    /** NMI boundaries a worker claims at a time: a run from a restore is short, the claim should not show. */
    static final int BOUNDARY_CHUNK = 4;

    /** More boundaries than this per variant and state is too long a run to interleave NMIs with. */
    static final long MAX_NMI_BOUNDARIES = 10_000;

    /** The outcomes a variant reaches: without NMI, and with one before each of its boundaries. */
    private Set<String> reachable(Build build, RunSpec spec, long steps, Set<Long> base, Observed plain) {
        if (steps > MAX_NMI_BOUNDARIES) {
            throw new io.entrysim.diag.AsmError(null, "--nmi each: a variant runs " + steps + " steps, more than the "
                    + MAX_NMI_BOUNDARIES + " boundaries an NMI interleaving covers; narrow it (--entry, --max-steps)");
        }
        Set<String> out = new java.util.HashSet<>();
        out.add(plain.key(s.ignore(), s.flags()));
        out.addAll(workers.map(boundaries(steps), BOUNDARY_CHUNK, () -> new VariantRun(build, spec, s.stack()),
                (run, k) -> withNmi(run, k, base).key(s.ignore(), s.flags())));
        return out;
    }

    private static List<Long> boundaries(long steps) {
        return LongStream.rangeClosed(1, steps).boxed().toList();
    }

    /**
     * The first NMI boundary of one variant whose outcome the other cannot reach, as a
     * difference against the other's run without NMI; null when there is none.
     */
    private Difference unmatched(Build build, RunSpec spec, long steps, Set<Long> base, Set<String> otherReaches,
                                 Observed otherPlain, List<String> state, String which, boolean swap) {
        Workers.Found<Long, Observed> first = workers.first(boundaries(steps).iterator(), BOUNDARY_CHUNK,
                () -> new VariantRun(build, spec, s.stack()), (run, k) -> {
            Observed o = withNmi(run, k, base);
            return otherReaches.contains(o.key(s.ignore(), s.flags())) ? null : o;
        });
        if (first == null) {
            return null;
        }
        Observed o = first.result();
        List<String> where = new ArrayList<>(state);
        where.add("NMI before step " + first.item() + " of " + which);
        Observed x = swap ? otherPlain : o;
        Observed y = swap ? o : otherPlain;
        String[] diff = x.firstDifference(y, s.ignore(), s.flags());
        if (diff == null) {
            diff = y.firstDifference(x, s.ignore(), s.flags());
            diff = diff == null ? new String[] {"outcome", "?", "?"} : new String[] {diff[0], diff[2], diff[1]};
        }
        return new Difference(where, diff[0] + " (no NMI interleaving of the other variant gives it)", diff[1], diff[2],
                x, y);
    }

    /** The variant's outcome with an NMI before step {@code k}, the bytes at {@code base} and its own writes. */
    private static Observed withNmi(VariantRun run, long k, Set<Long> base) {
        run.run(k);
        Set<Long> addresses = new LinkedHashSet<>(base);
        addresses.addAll(run.written);
        return run.observe(addresses);
    }

    private static RunSpec with(RunSpec base, List<String> sets, List<String> mems) {
        List<String> allSets = new ArrayList<>(base.sets());
        allSets.addAll(sets);
        List<String> allMems = new ArrayList<>(base.mems());
        allMems.addAll(mems);
        return base.withSets(allSets).withMems(allMems);
    }
}
