package io.entrysim.golden;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rebuilds a runnable file from a corpus EXCERPT (sections of a kernel file, each after a
 * {@code /* ==== path lines a-b ==== *}{@code /} marker). Every kept line goes back to its original
 * line number, so diagnostics and traces cite the real {@code entry_64.S} lines; the dropped
 * ranges become blank lines. Where a section starts or ends inside a C comment, the gap line
 * before or after it gets the comment opener or closer. Kept lines are never changed.
 */
final class Excerpts {
    private static final Pattern MARKER = Pattern.compile("/\\* ==== \\S+ lines (\\d+)-(\\d+) ==== \\*/");

    private Excerpts() {}

    static String reassemble(Path excerpt) throws IOException {
        List<String> lines = Files.readAllLines(excerpt);
        TreeMap<Integer, String> out = new TreeMap<>();
        List<String> section = null;
        List<int[]> ranges = new ArrayList<>();
        List<List<String>> bodies = new ArrayList<>();
        for (String line : lines) {
            Matcher m = MARKER.matcher(line);
            if (m.matches()) {
                section = new ArrayList<>();
                bodies.add(section);
                ranges.add(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))});
            } else if (section != null) {
                section.add(line);
            }
        }
        for (int s = 0; s < bodies.size(); s++) {
            int start = ranges.get(s)[0];
            List<String> body = bodies.get(s);
            boolean opensInComment = startsInsideComment(body);
            if (opensInComment) {
                out.put(start - 1, "/*");
            }
            for (int i = 0; i < body.size() && start + i <= ranges.get(s)[1]; i++) {
                out.put(start + i, body.get(i));
            }
            if (endsInsideComment(body, opensInComment)) {
                out.put(ranges.get(s)[1] + 1, " */");
            }
        }
        StringBuilder sb = new StringBuilder();
        int last = out.isEmpty() ? 0 : out.lastKey();
        for (int i = 1; i <= last; i++) {
            sb.append(out.getOrDefault(i, "")).append('\n');
        }
        return sb.toString();
    }

    private static boolean startsInsideComment(List<String> body) {
        for (String l : body) {
            String t = l.strip();
            if (!t.isEmpty()) {
                return t.startsWith("*") && !t.startsWith("*/");
            }
        }
        return false;
    }

    private static boolean endsInsideComment(List<String> body, boolean open) {
        String text = String.join("\n", body);
        boolean in = open;
        for (int i = 0; i < text.length() - 1; i++) {
            if (!in && text.startsWith("/*", i)) {
                in = true;
                i++;
            } else if (in && text.startsWith("*/", i)) {
                in = false;
                i++;
            }
        }
        return in;
    }
}
