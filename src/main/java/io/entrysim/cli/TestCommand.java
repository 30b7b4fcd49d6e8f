package io.entrysim.cli;

import io.entrysim.check.JunitXmlWriter;
import io.entrysim.check.KtapWriter;
import io.entrysim.check.SpecRunner;
import io.entrysim.check.TestPoint;
import io.entrysim.check.TestResult;
import io.entrysim.diag.AsmError;
import io.entrysim.parallel.Workers;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code entrysim test PATH...}: runs the specs in the comments of the {@code .S} files under the
 * paths ({@code ENTRYSIM-RUN}, {@code ENTRYSIM-EXPECT}, {@code ENTRYSIM-NMI}) in this one JVM,
 * configurations and NMI-sweep boundaries in parallel ({@code -j}), and prints KTAP. Exit 0 when nothing failed (skips are not
 * failures), 1 otherwise.
 */
@Command(name = "test", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = "Run the ENTRYSIM-RUN/EXPECT/NMI specs in the comments of the .S files under PATH...; print KTAP.")
public final class TestCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "spec files, or directories searched for .S files with specs")
    List<Path> paths;

    @Option(names = "--junit-xml", paramLabel = "FILE", description = "also write the results as JUnit XML (Surefire's report format)")
    Path junitXml;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", description = "run N configurations (or NMI-sweep boundaries) at once (default: the number of cores); the output is the same for any N")
    int jobs = Workers.available();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (jobs < 1) {
            throw new AsmError(null, "--jobs must be at least 1, not " + jobs);
        }
        List<TestResult> results;
        try (Workers workers = Workers.of(jobs)) {
            List<TestPoint> points = SpecRunner.points(paths, workers);
            if (points.isEmpty()) {
                throw new AsmError(null, "no spec files (.S files with ENTRYSIM- comments) under " + paths);
            }
            results = new SpecRunner().run(points, workers);
        }
        KtapWriter.write(out, results);
        if (junitXml != null) {
            try (Writer w = Files.newBufferedWriter(junitXml, StandardCharsets.UTF_8)) {
                JunitXmlWriter.write(w, results, "entrysim test " + String.join(" ", paths.stream().map(Path::toString).toList()));
            } catch (IOException e) {
                throw new AsmError(null, junitXml + ": cannot write: " + (e instanceof java.nio.file.NoSuchFileException
                        ? "No such file or directory" : e instanceof java.nio.file.AccessDeniedException
                        ? "Permission denied" : e.getMessage()));
            }
        }
        return results.stream().anyMatch(r -> r.status() == TestResult.Status.FAIL) ? 1 : 0;
    }
}
