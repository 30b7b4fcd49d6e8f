package io.entrysim.diff;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential test of the instruction semantics against the host CPU (project issue 3): random
 * user-mode programs run in entrysim and natively, and every register, the compared flags and
 * the whole buffer must agree. See docs/differential-testing.md.
 *
 * <pre>
 *   -Ddiff.seed=N     run seed (decimal or 0x hex); default {@link #DEFAULT_SEED}
 *   -Ddiff.count=N    programs (default 10000)
 *   -Ddiff.first=N    index of the first program (rerun one program: -Ddiff.first=I -Ddiff.count=1)
 *   -Ddiff.batch=N    programs per native process (default 2000)
 * </pre>
 */
class DifferentialTest {
    static final long DEFAULT_SEED = 0x5EED_D1FF_2025L;

    @Test
    void entrysimAgreesWithTheHostCpu(@TempDir Path dir) throws Exception {
        String arch = System.getProperty("os.arch");
        Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux")
            && (arch.equals("amd64") || arch.equals("x86_64")),
            "differential test needs an x86-64 Linux host (this is " + arch + "): skipped");
        Assumptions.assumeTrue(NativeHarness.toolsAvailable(),
            "as and gcc are not both on PATH: differential test against the host CPU skipped");
        DiffCampaign.Config c = new DiffCampaign.Config(
            property("diff.seed", DEFAULT_SEED), property("diff.count", 10_000),
            property("diff.first", 0), (int) property("diff.batch", 2_000));
        System.out.printf("[diff] seed=0x%x count=%d first=%d batch=%d%n"
                + "[diff] rerun: mvn -o test -Dtest='io.entrysim.diff.**' -Ddiff.seed=0x%x -Ddiff.count=%d%n",
            c.seed(), c.count(), c.first(), c.batch(), c.seed(), c.count());
        try (DiffRunner runner = new DiffRunner(new NativeHarness(dir))) {
            DiffCampaign.Summary s = DiffCampaign.run(c, runner);
            System.out.printf(Locale.ROOT, "[diff] %d programs (%d instructions) in %.1f s: %.0f programs/s, %d failing%n",
                s.ran(), s.instructions(), s.seconds(), s.ran() / s.seconds(), s.failing());
            if (!s.failures().isEmpty()) {
                fail(s.failing() + " of " + s.ran() + " programs disagree with the host CPU (the first "
                    + s.failures().size() + ", shrunk, are in target/diff-failures):"
                    + DiffCampaign.report(c, s.failures(), runner));
            }
        }
    }

    /** A {@code -D} property as a number, decimal or 0x hex; {@code _} separators allowed. */
    static long property(String name, long defaultValue) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        String v = value.strip().replace("_", "");
        return v.startsWith("0x") || v.startsWith("0X") ? Long.parseUnsignedLong(v.substring(2), 16) : Long.parseLong(v);
    }
}
