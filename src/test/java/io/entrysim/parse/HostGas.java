package io.entrysim.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The host's GNU binutils for differential tests: skip visibly when a tool is missing, run one,
 * collect what it prints.
 */
public final class HostGas {
    private HostGas() {}

    /** What a tool printed: stdout and stderr apart, as bytes read as ISO-8859-1 (one char per byte). */
    public record Output(int exitValue, String stdout, String stderr) {}

    /** Skips the calling test (with a message) unless every tool is on the PATH. */
    public static void assumeTools(String... tools) {
        for (String tool : tools) {
            Assumptions.assumeTrue(onPath(tool), tool + " not on PATH: skipped");
        }
    }

    public static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code cmd} in {@code dir}; it must succeed (warnings are fine, errors are not). */
    public static Output run(Path dir, String... cmd) throws IOException, InterruptedException {
        Output out = exec(dir, cmd);
        assertEquals(0, out.exitValue(), () -> String.join(" ", cmd) + " failed:\n" + out.stdout() + out.stderr());
        return out;
    }

    /** Runs {@code cmd} in {@code dir}, whatever its exit status. */
    public static Output exec(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).start();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", cmd) + " timed out");
        return new Output(p.exitValue(), new String(out, StandardCharsets.ISO_8859_1),
                new String(err.join(), StandardCharsets.ISO_8859_1));
    }
}
