package io.entrysim.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Runs spec text written to a file in a test's temporary directory. */
final class Specs {
    private Specs() {}

    static Path write(Path dir, String name, String text) {
        try {
            Path f = dir.resolve(name);
            Files.writeString(f, text);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<TestResult> run(Path dir, String text) {
        return new SpecRunner().run(SpecRunner.points(List.of(write(dir, "spec.S", text))), 2);
    }

    /** The one result of a spec with one configuration. */
    static TestResult one(Path dir, String text) {
        List<TestResult> r = run(dir, text);
        if (r.size() != 1) {
            throw new AssertionError("expected one result, got " + r);
        }
        return r.get(0);
    }
}
