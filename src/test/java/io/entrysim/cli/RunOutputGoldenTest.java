package io.entrysim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code entrysim run} output pinned byte for byte: exit status, stdout (text, {@code --json},
 * {@code --trace}) and stderr for every sample and a set of golden scenarios
 * ({@code src/test/resources/run-golden/cases.txt}). Rewrite the expectations with
 * {@code -Dgolden.update=true} and review the diff.
 */
class RunOutputGoldenTest {
    static final Path DIR = Path.of("src/test/resources/run-golden");
    static final String CORPUS = "../shared/corpus/kernel";
    static final boolean UPDATE = Boolean.getBoolean("golden.update");

    @TestFactory
    Stream<DynamicTest> cases() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (String line : Files.readAllLines(DIR.resolve("cases.txt"))) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            String name = line.substring(0, colon).trim();
            String args = line.substring(colon + 1).trim();
            tests.add(DynamicTest.dynamicTest(name, () -> check(name, args)));
        }
        return tests.stream();
    }

    static void check(String name, String args) throws IOException {
        if (args.contains("${CORPUS}")) {
            Assumptions.assumeTrue(Files.isDirectory(Path.of(CORPUS)), CORPUS + " is absent: golden case " + name + " skipped");
        }
        List<String> argv = new ArrayList<>(List.of("run"));
        argv.addAll(split(args.replace("${CORPUS}", CORPUS).replace("${GOLDEN}", DIR.toString())));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.execute(argv.toArray(new String[0]), new PrintWriter(out), new PrintWriter(err));
        String actual = "exit " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
        Path golden = DIR.resolve(name + ".golden");
        if (UPDATE || !Files.exists(golden)) {
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
            Assumptions.assumeTrue(UPDATE, golden + " was missing: written, review it");
        }
        assertEquals(Files.readString(golden, StandardCharsets.UTF_8), actual, "golden " + golden);
    }

    /** Blank-separated words; '...' quotes a word. */
    static List<String> split(String s) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (char c : s.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
                any = true;
            } else if (Character.isWhitespace(c) && !quoted) {
                if (any) {
                    words.add(w.toString());
                }
                w.setLength(0);
                any = false;
            } else {
                w.append(c);
                any = true;
            }
        }
        if (any) {
            words.add(w.toString());
        }
        return words;
    }
}
