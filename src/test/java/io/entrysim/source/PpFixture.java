package io.entrysim.source;
import io.entrysim.diag.AsmError;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Small helpers to run the preprocessor on in-memory text in tests. */
final class PpFixture {
    private PpFixture() {}

    /** An include root made of in-memory files, shown as {@code prefix/rel}. */
    record MapRoot(String prefix, Map<String, String> files) implements IncludeRoot {
        @Override
        public Optional<SourceFile> find(String rel) {
            String text = files.get(rel);
            return text == null ? Optional.empty() : Optional.of(new SourceFile(prefix + "/" + rel, text));
        }
    }

    static Map<String, String> files(String... pathThenText) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pathThenText.length; i += 2) {
            map.put(pathThenText[i], pathThenText[i + 1]);
        }
        return map;
    }

    static Preprocessor preprocessor(IncludeRoot... roots) {
        return new Preprocessor(new PreprocessorConfig(List.of(roots), Map.of(), Set.of()));
    }

    static List<SourceLine> run(String text, IncludeRoot... roots) {
        return preprocessor(roots).preprocess(new SourceFile("t.S", text));
    }

    /** The output lines' text. */
    static List<String> lines(String text, IncludeRoot... roots) {
        List<String> out = new ArrayList<>();
        for (SourceLine line : run(text, roots)) {
            out.add(line.text());
        }
        return out;
    }

    /** The output as one string, lines joined with '\n'. */
    static String out(String text, IncludeRoot... roots) {
        return String.join("\n", lines(text, roots));
    }

    /** The error the text causes, formatted as the CLI prints it. */
    static String error(String text, IncludeRoot... roots) {
        try {
            List<SourceLine> out = run(text, roots);
            throw new AssertionError("expected an error, got " + out);
        } catch (AsmError e) {
            return e.format();
        }
    }
}
