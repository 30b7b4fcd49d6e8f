package io.entrysim.check;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;

/**
 * The JUnit 5 front door to {@code entrysim test}: one call turns the spec files under a
 * directory into dynamic tests, one container per file and one test per run configuration (and
 * NMI sweep), failing with the same diagnostic {@code entrysim test} prints and skipping (as an
 * aborted test) what it skips:
 * <pre>
 *   &#64;TestFactory
 *   Stream&lt;DynamicNode&gt; entrySpecs() {
 *       return SpecTests.under(Path.of("src/test/asm"));
 *   }
 * </pre>
 * The files are found and read when the stream is made (a spec that cannot be read is a failing
 * test, not an exception); each file is built once for all its configurations with the same build
 * options. Needs junit-jupiter-api on the caller's test classpath.
 */
public final class SpecTests {
    private SpecTests() {}

    public static Stream<DynamicNode> under(Path... paths) {
        SpecRunner runner = new SpecRunner();
        Map<String, List<DynamicNode>> byFile = new LinkedHashMap<>();
        for (TestPoint p : SpecRunner.points(List.of(paths))) {
            // within the file's container: "[tag]: OPTIONS" or "OPTIONS"
            String name = p.specError() != null ? "the spec" : p.name().substring(p.file().length()).replaceFirst("^: ", "");
            byFile.computeIfAbsent(p.file(), f -> new ArrayList<>()).add(DynamicTest.dynamicTest(name,
                    Path.of(p.file()).toUri(), () -> check(runner.run(p))));
        }
        return byFile.entrySet().stream().map(e -> DynamicContainer.dynamicContainer(e.getKey(), Path.of(e.getKey()).toUri(),
                e.getValue().stream()));
    }

    private static void check(TestResult r) {
        switch (r.status()) {
            case PASS -> { }
            case SKIP -> Assumptions.abort(String.join("; ", r.diagnostic()));
            case FAIL -> Assertions.fail(r.name() + "\n" + String.join("\n", r.diagnostic()));
        }
    }
}
