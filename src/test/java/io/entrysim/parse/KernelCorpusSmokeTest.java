package io.entrysim.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.diag.AsmError;
import io.entrysim.diag.Origin;
import io.entrysim.source.SourceLine;
import io.entrysim.diag.SourcePos;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Parses every line of the kernel entry files that needs neither cpp nor macro expansion (no
 * backslash, no upper-case cpp macro, not a gas macro call or conditional): real-world syntax
 * must be accepted as is. Reads the corpus at run time; nothing from it is copied here.
 */
class KernelCorpusSmokeTest {
    private static final Path CORPUS = Path.of("../shared/corpus/kernel");
    private static final Pattern MACRO_DEF = Pattern.compile("^\\s*\\.macro\\s+(\\w+)", Pattern.MULTILINE);
    private static final Pattern CPP_MACRO = Pattern.compile("\\b[A-Z_][A-Z0-9_]{2,}\\b");
    private static final Pattern BLOCK_COMMENT = Pattern.compile("/\\*.*?\\*/", Pattern.DOTALL);
    private static final Pattern FIRST_WORD = Pattern.compile("^[^\\s:]+");

    @Test
    void plainLinesOfTheEntryCodeParse() throws IOException {
        Assumptions.assumeTrue(Files.exists(CORPUS.resolve("entry_64-v4.15.S")), CORPUS + " absent: skipped");
        Set<String> macros = gasMacroNames();
        StatementParser parser = new StatementParser();
        List<String> failures = new ArrayList<>();
        int parsed = 0;
        int instructions = 0;
        for (String file : List.of("entry_64-v4.15.S", "entry_64_compat-v4.15.S")) {
            String text = Files.readString(CORPUS.resolve(file), StandardCharsets.ISO_8859_1);
            // Blank out comments but keep line numbers.
            Matcher m = BLOCK_COMMENT.matcher(text);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(sb, "\n".repeat((int) m.group().chars().filter(c -> c == '\n').count()));
            }
            m.appendTail(sb);
            String[] lines = sb.toString().split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i].strip();
                if (!plain(line, macros)) {
                    continue;
                }
                try {
                    for (Statement st : parser.parse(new SourceLine(line, Origin.at(new SourcePos(file, i + 1, 1))))) {
                        instructions += st instanceof InstructionStmt ? 1 : 0;
                    }
                    parsed++;
                } catch (AsmError e) {
                    failures.add(e.format() + "   [" + line + "]");
                }
            }
        }
        assertEquals(List.of(), failures);
        assertTrue(parsed > 300 && instructions > 250, "too few plain lines found: " + parsed);
        assertEquals(0, parser.llFallbacks(), "valid lines should never need the LL pass");
    }

    private static boolean plain(String line, Set<String> macros) {
        if (line.isEmpty() || line.startsWith("#") || line.startsWith("*") || line.contains("\\")
                || CPP_MACRO.matcher(line).find()) {
            return false;
        }
        Matcher w = FIRST_WORD.matcher(line);
        String first = w.find() ? w.group() : "";
        return !macros.contains(first)
                && !first.matches("\\.(if\\w*|else\\w*|endif|macro|endm|rept|endr|irpc?|exitm|purgem)");
    }

    private static Set<String> gasMacroNames() throws IOException {
        Set<String> names = new HashSet<>();
        try (Stream<Path> files = Files.list(CORPUS)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Matcher m = MACRO_DEF.matcher(Files.readString(f, StandardCharsets.ISO_8859_1));
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }
}
