package io.entrysim.equiv;

import io.entrysim.session.Build;
import io.entrysim.session.BuildOptions;
import io.entrysim.session.RunSpec;
import io.entrysim.session.Toolchain;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Runs two variants from the same input states and compares what they make observable
 * ({@link Observed}). The states are the product of the {@link Dimension}s: all of them when there
 * are at most {@code maxStates}, else {@code maxStates} drawn at random. The first state where the
 * variants differ is shrunk: each dimension in turn takes the simplest value (earliest in its
 * list) for which they still differ, until no dimension can be simplified further.
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
    private final Map<BuildOptions, Build[]> builds = new HashMap<>();

    public Equivalence(Settings settings) {
        this.s = settings;
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
        Random rng = new Random(s.seed());
        int[] index = new int[s.over().size()];
        for (long n = 0; n < count; n++) {
            if (exhaustive) {
                // odometer: the last dimension varies fastest
                long rest = n;
                for (int i = index.length - 1; i >= 0; i--) {
                    int size = s.over().get(i).values().size();
                    index[i] = (int) (rest % size);
                    rest /= size;
                }
            } else {
                for (int i = 0; i < index.length; i++) {
                    index[i] = rng.nextInt(s.over().get(i).values().size());
                }
            }
            Difference d = compare(index);
            if (d != null) {
                return new Verdict(n + 1, exhaustive, s.seed(), shrink(index, d));
            }
        }
        return new Verdict(count, exhaustive, s.seed(), null);
    }

    private Difference shrink(int[] index, Difference found) {
        int[] best = index.clone();
        Difference diff = found;
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int i = 0; i < best.length; i++) {
                for (int v = 0; v < best[i]; v++) {
                    int[] tryIt = best.clone();
                    tryIt[i] = v;
                    Difference d = compare(tryIt);
                    if (d != null) {
                        best = tryIt;
                        diff = d;
                        progress = true;
                        break;
                    }
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
        Build[] pair = builds.computeIfAbsent(build, o -> new Build[] {Toolchain.build(s.a(), o), Toolchain.build(s.b(), o)});
        RunSpec specA = with(s.runA(), sets, mems);
        RunSpec specB = with(s.runB(), sets, mems);
        VariantRun a = new VariantRun(pair[0], specA, s.stack(), 0);
        VariantRun b = new VariantRun(pair[1], specB, s.stack(), 0);
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
        for (long k = 1; k <= steps; k++) {
            out.add(withNmi(build, spec, k, base).key(s.ignore(), s.flags()));
        }
        return out;
    }

    /**
     * The first NMI boundary of one variant whose outcome the other cannot reach, as a
     * difference against the other's run without NMI; null when there is none.
     */
    private Difference unmatched(Build build, RunSpec spec, long steps, Set<Long> base, Set<String> otherReaches,
                                 Observed otherPlain, List<String> state, String which, boolean swap) {
        for (long k = 1; k <= steps; k++) {
            Observed o = withNmi(build, spec, k, base);
            if (otherReaches.contains(o.key(s.ignore(), s.flags()))) {
                continue;
            }
            List<String> where = new ArrayList<>(state);
            where.add("NMI before step " + k + " of " + which);
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
        return null;
    }

    private Observed withNmi(Build build, RunSpec spec, long k, Set<Long> base) {
        VariantRun r = new VariantRun(build, spec, s.stack(), k);
        Set<Long> addresses = new LinkedHashSet<>(base);
        addresses.addAll(r.written);
        return r.observe(addresses);
    }

    private static RunSpec with(RunSpec base, List<String> sets, List<String> mems) {
        List<String> allSets = new ArrayList<>(base.sets());
        allSets.addAll(sets);
        List<String> allMems = new ArrayList<>(base.mems());
        allMems.addAll(mems);
        return base.withSets(allSets).withMems(allMems);
    }
}
