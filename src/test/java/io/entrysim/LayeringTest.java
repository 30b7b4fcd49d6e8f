package io.entrysim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The pipeline's layering, read from the imports of {@code src/main}: no package import cycles,
 * the CPU knows nothing of parsing, and the front end knows nothing of execution.
 */
class LayeringTest {
    static final Path MAIN = Path.of("src/main/java/io/entrysim");
    static final Pattern IMPORT = Pattern.compile("(?m)^import (?:static )?io\\.entrysim\\.([a-z]+)\\.");
    static final Pattern QUALIFIED = Pattern.compile("\\bio\\.entrysim\\.([a-z]+)\\.[A-Z]");

    /** package -> the other entrysim packages it uses. */
    static Map<String, Set<String>> graph() throws IOException {
        Map<String, Set<String>> g = new TreeMap<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = MAIN.relativize(f.getParent()).toString().replace('/', '.');
                Set<String> uses = g.computeIfAbsent(pkg, k -> new TreeSet<>());
                // comments may name any class; only code counts
                String text = Files.readString(f).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
                for (Pattern p : List.of(IMPORT, QUALIFIED)) {
                    Matcher m = p.matcher(text);
                    while (m.find()) {
                        if (!m.group(1).equals(pkg)) {
                            uses.add(m.group(1));
                        }
                    }
                }
            }
        }
        return g;
    }

    @Test
    void noPackageImportCycles() throws IOException {
        Map<String, Set<String>> g = graph();
        List<String> cycles = new ArrayList<>();
        for (String start : g.keySet()) {
            for (String next : g.get(start)) {
                if (reaches(g, next, start, new TreeSet<>())) {
                    cycles.add(start + " -> " + next + " -> ... -> " + start);
                }
            }
        }
        assertEquals(List.of(), cycles, "package graph: " + g);
    }

    @Test
    void theCpuKnowsNothingOfParsingAndTheFrontEndNothingOfExecution() throws IOException {
        Map<String, Set<String>> g = graph();
        for (String front : List.of("source", "macro", "parse")) {
            for (String back : List.of("cpu", "exec", "session", "cli", "kernel")) {
                assertTrue(!g.getOrDefault(front, Set.of()).contains(back), front + " uses " + back + ": " + g);
            }
        }
        for (String front : List.of("source", "macro", "parse", "assemble", "session", "cli")) {
            assertTrue(!g.getOrDefault("cpu", Set.of()).contains(front), "cpu uses " + front);
            assertTrue(!g.getOrDefault("exec", Set.of()).contains(front) || front.equals("assemble"), "exec uses " + front);
        }
    }

    private static boolean reaches(Map<String, Set<String>> g, String from, String to, Set<String> seen) {
        if (from.equals(to)) {
            return true;
        }
        if (!seen.add(from)) {
            return false;
        }
        for (String n : g.getOrDefault(from, Set.of())) {
            if (reaches(g, n, to, seen)) {
                return true;
            }
        }
        return false;
    }
}
