package io.entrysim.check;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of top-level KTAP version 1 (Documentation/dev-tools/ktap.rst): a version line
 * first, then the plan {@code 1..N}, then result lines {@code ok|not ok NUMBER [DESCRIPTION][ #
 * [DIRECTIVE] [DATA]]} numbered from 1 up by one, diagnostic lines ({@code # ...}) and unknown
 * lines (kept separately). The description may not contain {@code #}. Throws on anything else.
 */
final class KtapParser {
    record Result(boolean ok, int number, String description, String directive, List<String> diagnostics) {}

    record Document(int plan, List<Result> results, List<String> unknown) {}

    private static final Pattern RESULT = Pattern.compile("(ok|not ok) (\\d+)(?: ([^#]*?))?(?: # ?(\\S+)?(?: (.*))?)?");
    private static final Pattern PLAN = Pattern.compile("1\\.\\.(\\d+)");

    static Document parse(String text) {
        List<String> lines = text.lines().toList();
        if (lines.isEmpty() || !lines.get(0).equals("KTAP version 1")) {
            throw new IllegalArgumentException("no version line: " + (lines.isEmpty() ? "(empty)" : lines.get(0)));
        }
        Matcher plan = PLAN.matcher(lines.size() > 1 ? lines.get(1) : "");
        if (!plan.matches()) {
            throw new IllegalArgumentException("no plan line after the version line");
        }
        List<Result> results = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        for (String line : lines.subList(2, lines.size())) {
            if (line.startsWith("#")) {
                if (!line.equals("#") && !line.startsWith("# ")) {
                    throw new IllegalArgumentException("a diagnostic line is `# ...': " + line);
                }
                pending.add(line.length() > 2 ? line.substring(2) : "");
                continue;
            }
            if (line.startsWith(" ")) {
                throw new IllegalArgumentException("an indented (subtest) line where none was announced: " + line);
            }
            Matcher m = RESULT.matcher(line);
            if (line.startsWith("ok ") || line.startsWith("not ok ")) {
                if (!m.matches()) {
                    throw new IllegalArgumentException("malformed result line: " + line);
                }
                int n = Integer.parseInt(m.group(2));
                if (n != results.size() + 1) {
                    throw new IllegalArgumentException("result " + n + " where " + (results.size() + 1) + " was due");
                }
                results.add(new Result(m.group(1).equals("ok"), n, m.group(3), m.group(4), List.copyOf(pending)));
                pending.clear();
            } else {
                unknown.add(line);
            }
        }
        int n = Integer.parseInt(plan.group(1));
        if (n != results.size()) {
            throw new IllegalArgumentException("plan 1.." + n + " but " + results.size() + " results");
        }
        if (!pending.isEmpty()) {
            throw new IllegalArgumentException("diagnostic lines after the last result: " + pending);
        }
        return new Document(n, results, unknown);
    }
}
