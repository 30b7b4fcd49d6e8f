package io.entrysim.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import io.entrysim.exec.StopReason;
import io.entrysim.parse.HostGas;
import io.entrysim.session.RunOutcome;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * bin/bench --compare measures the same work in both engines: entrysim's side of each workload
 * ({@link CompareWorkloads}) ends in the same state as Unicorn's ({@code bench/compare/ucmachine.py
 * final}) — registers, the defined flags, CR3, the sweep's per-CPU results — but for one known
 * divergence of Unicorn's (see {@link #asUnicornEndsIt}). Skips visibly without a Python that has
 * unicorn, or without GNU as; the entrysim-only checks always run.
 */
class UnicornDifferentialTest {
    /** Flush masks with this CPU's bit (kernel PCID 1: bit 1) set and clear, and a zero mask. */
    static final List<Long> SWEEP_STATES = List.of(0L, 1L, 2L, 3L, 5L, 77L, 4096L);

    @Test
    void sweepStatesEndAsInUnicorn() throws Exception {
        String python = unicornPython();
        CompareWorkloads.Sweep sweep = new CompareWorkloads.Sweep(CompareWorkloads.DIR);
        List<Map<String, Long>> unicorn = unicorn(python, "cr3-sweep", SWEEP_STATES);
        for (int i = 0; i < SWEEP_STATES.size(); i++) {
            long k = SWEEP_STATES.get(i);
            assertEquals(asUnicornEndsIt(sweep.finalState(k)), unicorn.get(i), "cr3-sweep state " + k);
        }
    }

    @Test
    void loopsEndAsInUnicorn() throws Exception {
        String python = unicornPython();
        for (String loop : List.of("loop-dec", "loop-bt")) {
            CompareWorkloads.Loop l = new CompareWorkloads.Loop(CompareWorkloads.DIR, loop);
            List<Long> iterations = List.of(1L, 37L, 1000L);
            List<Map<String, Long>> unicorn = unicorn(python, loop, iterations);
            for (int i = 0; i < iterations.size(); i++) {
                long n = iterations.get(i);
                assertEquals(l.finalState(n), unicorn.get(i), loop + ", " + n + " iterations");
            }
        }
    }

    /** The sweep is the 27-instruction entry and exit the README says, taking both exit paths. */
    @Test
    void sweepRunsBothExitPaths() {
        CompareWorkloads.Sweep sweep = new CompareWorkloads.Sweep(CompareWorkloads.DIR);
        for (long k : SWEEP_STATES) {
            boolean pending = (CompareWorkloads.Sweep.mask(k) & 2) != 0;
            RunOutcome out = sweep.runState(k);
            assertEquals(StopReason.HLT, out.stop(), "state " + k);
            assertEquals(pending ? 26 : 27, out.steps(), "state " + k + ": steps");
            assertEquals(List.of(), out.violations(), "state " + k);
            assertEquals(2, out.cr3Writes().size(), "state " + k + ": entry and exit write CR3");
            Map<String, Long> s = sweep.finalState(k);
            assertEquals(0x1c0b801L, s.get("cr3"), "state " + k + ": back on the user tables, user PCID");
            assertEquals(pending ? 1L : 0L, s.get("flushes"), "state " + k);
            assertEquals(CompareWorkloads.Sweep.mask(k) & ~2L, s.get("flush_mask"), "state " + k + ": request consumed");
        }
    }

    /**
     * entrysim's final sweep state as Unicorn 2.0 ends it: Unicorn keeps bit 63 (NOFLUSH) of a MOV
     * to CR3 in CR3, where the CPU never stores it, and reads it back at the exit; so the exit
     * writes NOFLUSH whatever the flush mask said, CR3 ends with bit 63 set, and the exit's {@code
     * or} (bit 63 in its result) sets SF. Everything else must match.
     */
    static Map<String, Long> asUnicornEndsIt(Map<String, Long> entrysim) {
        Map<String, Long> s = new LinkedHashMap<>(entrysim);
        s.put("cr3", s.get("cr3") | (1L << 63));
        s.put("rflags", s.get("rflags") | 0x80);
        return s;
    }

    /** Unicorn's final states for WORKLOAD run with each of {@code args}, as ucmachine.py reports them. */
    static List<Map<String, Long>> unicorn(String python, String workload, List<Long> args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(python, CompareWorkloads.DIR.resolve("ucmachine.py").toString(),
                "final", workload));
        args.forEach(a -> cmd.add(Long.toString(a)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        // BigInteger: the JSON's integers are unsigned 64-bit (Gson would make doubles of them).
        List<Map<String, BigInteger>> json = new Gson().fromJson(out,
                new TypeToken<List<Map<String, BigInteger>>>() { }.getType());
        List<Map<String, Long>> states = new ArrayList<>();
        for (Map<String, BigInteger> state : json) {
            Map<String, Long> s = new LinkedHashMap<>();
            state.forEach((k, v) -> s.put(k, v.longValue()));
            states.add(s);
        }
        return states;
    }

    /** python3 on PATH, or Debian's, whichever imports unicorn (bin/bench --compare installs it). */
    static String unicornPython() {
        HostGas.assumeTools("as");
        Optional<String> python = Stream.of("python3", "/usr/bin/python3").filter(UnicornDifferentialTest::hasUnicorn).findFirst();
        Assumptions.assumeTrue(python.isPresent(), "no Python with unicorn (apt-get install python3-unicorn): skipped");
        return python.get();
    }

    private static boolean hasUnicorn(String python) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import unicorn").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
