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
 */
public final class Equivalence {
    /** The settings of one comparison. */
    public record Settings(Path a, Path b, BuildOptions build, RunSpec runA, RunSpec runB, List<Dimension> over,
                           Set<String> ignore, boolean flags, boolean stack, long maxStates, long seed) {}

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
        VariantRun a = new VariantRun(pair[0], with(s.runA(), sets, mems), s.stack());
        VariantRun b = new VariantRun(pair[1], with(s.runB(), sets, mems), s.stack());
        Set<Long> written = new LinkedHashSet<>(a.written);
        written.addAll(b.written);
        Observed oa = a.observe(written);
        Observed ob = b.observe(written);
        String[] diff = oa.firstDifference(ob, s.ignore(), s.flags());
        return diff == null ? null : new Difference(state, diff[0], diff[1], diff[2], oa, ob);
    }

    private static RunSpec with(RunSpec base, List<String> sets, List<String> mems) {
        List<String> allSets = new ArrayList<>(base.sets());
        allSets.addAll(sets);
        List<String> allMems = new ArrayList<>(base.mems());
        allMems.addAll(mems);
        return base.withSets(allSets).withMems(allMems);
    }
}
