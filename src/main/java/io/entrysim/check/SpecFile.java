package io.entrysim.check;

import io.entrysim.diag.AsmError;
import io.entrysim.diag.Origin;
import io.entrysim.diag.SourcePos;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The spec a {@code .S} file carries in its comments: its RUN lines (run configurations, before
 * brace expansion), EXPECT lines and the optional NMI sweep. A file with no {@code ENTRYSIM-}
 * keyword at all is no spec file; one with expectations but no RUN line runs once with no
 * options. A misspelt keyword ({@code ENTRYSIM-EXPCT:}) is an error, not a silently skipped check.
 * A line ending in a backslash continues on the next comment line. {@code ENTRYSIM-EXPECT[a,b]:}
 * applies to the runs tagged {@code a} and those tagged {@code b}.
 */
public record SpecFile(Path path, List<SpecDirective> runs, List<SpecDirective> expects, SpecDirective nmi) {
    /** The keyword, an optional {@code [tag]}, the colon. */
    private static final Pattern KEYWORD = Pattern.compile("ENTRYSIM-([A-Za-z]+)(?:\\[([^\\]]*)\\])?(:?)");
    /** A tag; EXPECT lines may name several, comma-separated, to apply to the runs of each. */
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_.+-]+");
    private static final Pattern TAGS = Pattern.compile("[A-Za-z0-9_.+-]+(\\s*,\\s*[A-Za-z0-9_.+-]+)*");

    public SpecFile {
        runs = List.copyOf(runs);
        expects = List.copyOf(expects);
    }

    /** Whether {@code path}'s text holds any spec keyword (cheap: no parsing). */
    public static boolean isSpec(String text) {
        return text.contains("ENTRYSIM-");
    }

    public static SpecFile read(Path path) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new AsmError(null, path + ": cannot read: " + e.getMessage());
        }
        return parse(path, text);
    }

    public static SpecFile parse(Path path, String text) {
        String display = path.toString();
        List<SpecComments.Line> comments = SpecComments.of(text);
        List<SpecDirective> runs = new ArrayList<>();
        List<SpecDirective> expects = new ArrayList<>();
        SpecDirective nmi = null;
        for (int i = 0; i < comments.size(); i++) {
            SpecComments.Line c = comments.get(i);
            Matcher m = KEYWORD.matcher(c.text());
            if (!m.find()) {
                continue;
            }
            SourcePos at = new SourcePos(display, c.line(), c.column() + m.start());
            String keyword = m.group(1);
            if (!List.of("RUN", "EXPECT", "NMI").contains(keyword)) {
                throw new AsmError(Origin.at(at), "unknown spec keyword `ENTRYSIM-" + keyword
                        + "' (known: ENTRYSIM-RUN, ENTRYSIM-EXPECT, ENTRYSIM-NMI)");
            }
            if (m.group(3).isEmpty()) {
                throw new AsmError(Origin.at(at), "`ENTRYSIM-" + keyword + "' wants a colon after it");
            }
            String tag = m.group(2);
            if (tag != null && !(keyword.equals("EXPECT") ? TAGS : TAG).matcher(tag).matches()) {
                throw new AsmError(Origin.at(at), "a spec tag is letters, digits and _.+-"
                        + (keyword.equals("EXPECT") ? " (several: comma-separated)" : "") + ", not `" + tag + "'");
            }
            StringBuilder value = new StringBuilder(c.text().substring(m.end()).strip());
            // a trailing backslash continues the spec on the next comment line
            while (value.length() > 0 && value.charAt(value.length() - 1) == '\\' && i + 1 < comments.size()
                    && comments.get(i + 1).line() == comments.get(i).line() + 1) {
                value.setLength(value.length() - 1);
                i++;
                value.append(' ').append(stripCommentLead(comments.get(i).text()));
            }
            SpecDirective d = new SpecDirective(keyword, tag, value.toString().strip(),
                    new SourcePos(display, c.line(), c.column() + m.end()));
            switch (keyword) {
                case "RUN" -> runs.add(d);
                case "EXPECT" -> {
                    if (d.text().isEmpty()) {
                        throw new AsmError(d.origin(), "ENTRYSIM-EXPECT: says nothing to expect");
                    }
                    expects.add(d);
                }
                default -> {
                    if (tag != null) {
                        throw new AsmError(Origin.at(at), "ENTRYSIM-NMI takes no tag: it applies to every run");
                    }
                    if (nmi != null) {
                        throw new AsmError(Origin.at(at), "a second ENTRYSIM-NMI line (the first is at line "
                                + nmi.pos().line() + ")");
                    }
                    nmi = d;
                }
            }
        }
        return new SpecFile(path, runs, expects, nmi);
    }

    /** A block comment's continuation line usually starts with {@code *}: that is layout, not text. */
    private static String stripCommentLead(String s) {
        String t = s.strip();
        return t.startsWith("*") ? t.substring(1).strip() : t;
    }
}
