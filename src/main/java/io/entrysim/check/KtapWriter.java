package io.entrysim.check;

import java.io.PrintWriter;
import java.util.List;

/**
 * Results as KTAP version 1 (the kernel's Documentation/dev-tools/ktap.rst, as kselftest and
 * KUnit print it): the version line, the plan {@code 1..N}, then per test its diagnostic lines
 * ({@code # ...}, directly before the result line, as the format recommends) and
 * {@code ok N NAME} / {@code not ok N NAME} / {@code ok N NAME # SKIP reason}. A description may
 * not hold {@code #}, so one in a name is written {@code %23}. Then, as an "unknown line" KTAP
 * allows, the summary {@code N passed, N failed[, N skipped]} (a public interface: scripts read it).
 */
public final class KtapWriter {
    private KtapWriter() {}

    public static void write(PrintWriter out, List<TestResult> results) {
        out.println("KTAP version 1");
        out.println("1.." + results.size());
        int n = 0;
        for (TestResult r : results) {
            n++;
            String name = r.name().replace("#", "%23").replace('\n', ' ');
            switch (r.status()) {
                case PASS -> {
                    r.notes().forEach(line -> out.println("# " + line));
                    out.println("ok " + n + " " + name);
                }
                case SKIP -> out.println("ok " + n + " " + name + " # SKIP " + String.join("; ", r.diagnostic()).replace('\n', ' '));
                case FAIL -> {
                    for (String line : r.diagnostic()) {
                        out.println(line.isEmpty() ? "#" : "# " + line);
                    }
                    out.println("not ok " + n + " " + name);
                }
            }
        }
        out.println(summary(results));
        out.flush();
    }

    /** {@code N passed, N failed}, then {@code , N skipped} when some were. */
    public static String summary(List<TestResult> results) {
        long passed = results.stream().filter(r -> r.status() == TestResult.Status.PASS).count();
        long failed = results.stream().filter(r -> r.status() == TestResult.Status.FAIL).count();
        long skipped = results.stream().filter(r -> r.status() == TestResult.Status.SKIP).count();
        return passed + " passed, " + failed + " failed" + (skipped > 0 ? ", " + skipped + " skipped" : "");
    }
}
