package io.entrysim.source;
import io.entrysim.diag.AsmWarning;
import io.entrysim.diag.AsmError;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The C preprocessor as {@code cpp -x assembler-with-cpp} runs it on kernel {@code .S} files:
 * directives, macro expansion, comment removal, and gas syntax left alone. The result is one
 * {@link SourceLine} per non-blank output line, each knowing the file/line it came from and the
 * {@code #include} sites that led there. Errors are {@link AsmError}s in gcc's wording; the first
 * one ends the run.
 */
public final class Preprocessor {
    private final PreprocessorConfig config;
    /**
     * Each file's lines, lexed once per preprocessor (a header included again is not lexed again),
     * by display path, with the text they were lexed from. Keyed by the path rather than the
     * {@link SourceFile} record, whose first hashCode (an invokedynamic bootstrap) cost a cold start
     * a few ms.
     */
    private final Map<String, Lexed> lexed = new HashMap<>();
    private PpSession last;

    public Preprocessor(PreprocessorConfig config) {
        this.config = config;
    }

    /** Preprocesses a file on disk; quoted includes look in its directory first. */
    public List<SourceLine> preprocess(Path mainFile) {
        String text;
        try {
            text = new String(Files.readAllBytes(mainFile), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AsmError(null, mainFile + (Files.isDirectory(mainFile) ? ": Is a directory" : ": No such file or directory"));
        }
        Path dir = mainFile.getParent() == null ? Path.of("") : mainFile.getParent();
        return run(new SourceFile(mainFile.toString(), text), new DirectoryRoot(dir));
    }

    /** Preprocesses in-memory text; quoted includes search only the configured roots. */
    public List<SourceLine> preprocess(SourceFile main) {
        return run(main, null);
    }

    private List<SourceLine> run(SourceFile main, IncludeRoot mainRoot) {
        last = new PpSession(config, this::lex);
        try {
            return List.copyOf(last.run(main, mainRoot, ""));
        } catch (StackOverflowError e) {
            io.entrysim.diag.Origin at = last.where();
            throw new AsmError(at, (at == null ? main.displayPath() + ": " : "") + "macros or expressions nested too deeply");
        }
    }

    private List<LexedLine> lex(SourceFile file) {
        Lexed done = lexed.get(file.displayPath());
        if (done == null || !done.text().equals(file.text())) {
            done = new Lexed(file.text(), PpLexer.lexFile(file.text()));
            lexed.put(file.displayPath(), done);
        }
        return done.lines();
    }

    private record Lexed(String text, List<LexedLine> lines) {}

    /** The line the last run read last (for reports of unexpected failures), or null. */
    public io.entrysim.diag.Origin where() {
        return last == null ? null : last.where();
    }

    /** Warnings of the last run ({@code #warning}, extra tokens, redefinitions, ...). */
    public List<AsmWarning> warnings() {
        return last == null ? List.of() : List.copyOf(last.warnings);
    }

    /** The replacement text of object-like macro {@code name} as the last run left it. */
    public Optional<String> macroBody(String name) {
        if (last == null) {
            return Optional.empty();
        }
        Macro macro = last.macros.get(name);
        if (macro == null || macro.functionLike() || macro.builtin() != null) {
            return Optional.empty();
        }
        return Optional.of(macro.spelledBody());
    }
}
