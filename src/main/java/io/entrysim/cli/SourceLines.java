package io.entrysim.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The text of source files as the debugger lists them, read once each: files on disk by the
 * path an origin names, entrysim's own shim headers from its resources. A file that cannot be
 * read has no lines (the debugger then shows the expanded instruction only).
 */
final class SourceLines {
    private static final String SHIM_ROOT = "/io/entrysim/kernel/shim/";
    private final Map<String, List<String>> files = new HashMap<>();

    /** Makes {@code text} the lines of {@code file}: a source that is not a file (a scenario's driver). */
    void add(String file, String text) {
        files.put(file, text.lines().toList());
    }

    /** Line {@code line} (1-based) of {@code file}, or null when the file or the line is not there. */
    String line(String file, int line) {
        List<String> lines = lines(file);
        return line >= 1 && line <= lines.size() ? lines.get(line - 1) : null;
    }

    /** Every line of {@code file}; empty when it cannot be read. */
    List<String> lines(String file) {
        return files.computeIfAbsent(file, SourceLines::read);
    }

    private static List<String> read(String file) {
        try {
            Path p = Path.of(file);
            if (Files.isRegularFile(p)) {
                return Files.readAllLines(p, StandardCharsets.UTF_8);
            }
            try (InputStream in = SourceLines.class.getResourceAsStream(SHIM_ROOT + file)) {
                if (in != null) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
                }
            }
        } catch (IOException | RuntimeException e) {
            // unreadable (a directory, bad encoding, a name no path can hold): shown without source
        }
        return List.of();
    }
}
