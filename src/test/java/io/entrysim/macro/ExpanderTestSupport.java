package io.entrysim.macro;

import io.entrysim.diag.Origin;
import io.entrysim.diag.Site;
import io.entrysim.source.SourceLine;
import io.entrysim.diag.SourcePos;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Builds expanders over inline sources named {@code t.S}, one input line per text line. */
class ExpanderTestSupport {
    static final String FILE = "t.S";

    static List<SourceLine> lines(String source) {
        return lines(FILE, source, List.of());
    }

    static List<SourceLine> lines(String file, String source, List<Site> chain) {
        List<SourceLine> result = new ArrayList<>();
        String[] split = source.split("\n", -1);
        for (int i = 0; i < split.length; i++) {
            result.add(new SourceLine(split[i], new Origin(new SourcePos(file, i + 1, 1), chain)));
        }
        return result;
    }

    static GasMacroExpander expander() {
        return expander(Set.of(), Map.of());
    }

    static GasMacroExpander expander(Set<Long> features, Map<String, Boolean> keys) {
        return new GasMacroExpander(new TinyEvaluator(), new ExpanderConfig(features, keys));
    }

    static List<String> texts(List<SourceLine> lines) {
        return lines.stream().map(SourceLine::text).collect(Collectors.toList());
    }

    static List<String> expand(String source) {
        return texts(expander().expand(lines(source)));
    }

    /** The {@code .print} texts, in order. */
    static List<String> prints(String source) {
        GasMacroExpander ex = expander();
        ex.expand(lines(source));
        return ex.warnings().stream().filter(w -> w.kind() == Warning.Kind.PRINT).map(Warning::message)
                .collect(Collectors.toList());
    }

    /** The error a source produces, formatted as the CLI shows it (first line only). */
    static String error(String source) {
        try {
            expander().expand(lines(source));
        } catch (io.entrysim.diag.AsmError e) {
            return e.format().lines().findFirst().orElseThrow();
        }
        throw new AssertionError("expected an error");
    }

    /** "file:line:col" of a line's origin followed by its macro sites, e.g. {@code t.S:2:2 <- M@t.S:5:1}. */
    static String where(SourceLine line) {
        StringBuilder sb = new StringBuilder(line.origin().pos().toString());
        for (Site s : line.origin().chain()) {
            sb.append(" <- ").append(s.kind() == Site.Kind.MACRO ? s.name() + "@" : "include ")
                    .append(s.at());
        }
        return sb.toString();
    }
}
