package io.entrysim.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs the host's {@code cpp -x assembler-with-cpp -P} for differential tests (skipped without it). */
final class HostCpp {
    private HostCpp() {}

    static boolean available() {
        try {
            Process p = new ProcessBuilder("cpp", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static void assumeAvailable() {
        Assumptions.assumeTrue(available(), "cpp not on PATH: differential comparison with gcc skipped");
    }

    /**
     * gcc's output for {@code file}, with our predefines instead of the host's (-undef), one
     * entry per non-blank line, white space normalized.
     */
    static List<String> preprocess(Path file, List<Path> includeDirs, Map<String, String> defines) {
        List<String> cmd = new ArrayList<>(List.of("cpp", "-x", "assembler-with-cpp", "-P", "-undef", "-nostdinc"));
        PredefinedMacros.KERNEL_ASM.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        defines.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        for (Path dir : includeDirs) {
            cmd.add("-I" + dir);
        }
        cmd.add(file.toString());
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("cpp failed on " + file + ": " + cmd);
            }
            return normalize(out.lines().toList());
        } catch (IOException e) {
            throw new AssertionError("cannot run cpp", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Non-blank lines with runs of white space made one space and the ends trimmed. */
    static List<String> normalize(List<String> lines) {
        return lines.stream().map(l -> l.replaceAll("[ \\t]+", " ").strip()).filter(l -> !l.isEmpty()).toList();
    }

    static List<String> normalizedTexts(List<SourceLine> lines) {
        return normalize(lines.stream().map(SourceLine::text).toList());
    }
}
