package io.entrysim.source;
import io.entrysim.diag.SourcePos;
import io.entrysim.diag.Site;
import io.entrysim.diag.Origin;
import io.entrysim.diag.AsmWarning;
import io.entrysim.diag.AsmError;

import com.google.common.collect.ImmutableList;
import io.entrysim.source.PpToken.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One preprocessing run: the include stack, conditional state, macro table and output. Reads
 * logical lines, lets {@link DirectiveProcessor} handle directives and skipped text, and expands
 * and prints the rest, one {@link SourceLine} per non-blank output line.
 */
final class PpSession implements PpDiagnostics, CppMacroExpander.Builtins, TextLineSource.MoreLines {
    static final int MAX_INCLUDE_DEPTH = 200;

    final PreprocessorConfig config;
    final Map<String, Macro> macros = new HashMap<>();
    final List<AsmWarning> warnings = new ArrayList<>();
    final ConditionalStack conds = new ConditionalStack();
    final Set<String> onceFiles = new HashSet<>();
    private final Deque<IncludeFrame> frames = new ArrayDeque<>();
    private final Function<SourceFile, List<LexedLine>> lexer;
    private final DirectiveProcessor directives;
    /** {@code __DATE__} and {@code __TIME__}: null until a source expands one (java.time costs tens of ms to load). */
    private String[] dateAndTime;
    private String baseFile = "";
    private int counter;

    PpSession(PreprocessorConfig config, Function<SourceFile, List<LexedLine>> lexer) {
        this.config = config;
        this.lexer = lexer;
        this.directives = new DirectiveProcessor(this);
        PredefinedMacros.install(macros, config, warnings);
    }

    /** Preprocesses {@code main}; {@code root}/{@code relDir} say where its quoted includes look first. */
    List<SourceLine> run(SourceFile main, IncludeRoot root, String relDir) {
        baseFile = main.displayPath();
        pushFile(main, root, relDir, -1, List.of());
        // -include files: read first, as if the main file began with #include "FILE" for each
        List<String> forced = config.forcedIncludes();
        for (int k = forced.size() - 1; k >= 0; k--) {
            pushForcedInclude(forced.get(k));
        }
        List<SourceLine> out = new ArrayList<>();
        for (LexedLine line = nextTextLine(); line != null; line = nextTextLine()) {
            IncludeFrame frame = frames.peek();
            Origin origin = frame.origin(line.firstLine(), 1);
            CppMacroExpander expander = new CppMacroExpander(macros, new TextLineSource(line, this), this, this, false);
            LinePrinter printer = new LinePrinter(line.indent());
            for (PpToken t = expander.next(); t.kind() != Kind.EOF; t = expander.next()) {
                printer.add(t);
            }
            if (!printer.isEmpty()) {
                out.add(new SourceLine(printer.text(), origin));
            }
        }
        return out;
    }

    // ---- the include stack ----

    /** gcc's {@code -include FILE}: a path (from the working directory) first, then the include roots. */
    private void pushForcedInclude(String name) {
        List<Site> chain = List.of(Site.include(name, new SourcePos("<command-line>", 1, 1)));
        Path path = Path.of(name);
        if (Files.isRegularFile(path)) {
            try {
                String text = Files.readString(path, StandardCharsets.UTF_8);
                Path dir = path.toAbsolutePath().getParent();
                pushFile(new SourceFile(name, text), new DirectoryRoot(dir), "", -1, chain);
                return;
            } catch (IOException | UncheckedIOException e) {
                throw new AsmError(null, name + ": " + e.getMessage());
            }
        }
        if (Files.isDirectory(path)) {
            throw new AsmError(null, "-include " + name + ": Is a directory");
        }
        List<IncludeRoot> roots = config.includeRoots();
        for (int i = 0; i < roots.size(); i++) {
            Optional<SourceFile> file = roots.get(i).find(name);
            if (file.isPresent()) {
                int slash = name.lastIndexOf('/');
                pushFile(file.get(), roots.get(i), slash < 0 ? "" : name.substring(0, slash), i, chain);
                return;
            }
        }
        throw new AsmError(null, "-include " + name + ": No such file or directory");
    }

    IncludeFrame top() {
        return frames.peek();
    }

    int depth() {
        return frames.size();
    }

    void pushFile(SourceFile file, IncludeRoot root, String relDir, int rootIndex, List<Site> chain) {
        List<LexedLine> lines;
        try {
            lines = lexer.apply(file);
        } catch (PpLexer.LexError e) {
            throw new AsmError(new Origin(new SourcePos(file.displayPath(), e.line, e.col), chain), e.getMessage());
        }
        frames.push(new IncludeFrame(file, lines, root, relDir, rootIndex, ImmutableList.copyOf(chain), conds.depth()));
    }

    private void endOfFile() {
        IncludeFrame frame = frames.peek();
        if (conds.depth() > frame.condDepth) {
            ConditionalStack.Level open = conds.top();
            throw error(open.line, open.col, "unterminated #" + open.kind);
        }
        frames.pop();
    }

    // ---- reading lines ----

    /** The line being read (for reports of unexpected failures). */
    private IncludeFrame currentFrame;
    private LexedLine currentLine;

    /** Where the session is: the line it read last, or null before the first. */
    Origin where() {
        return currentFrame == null ? null : currentFrame.origin(currentLine.firstLine(), 1);
    }

    /** The next line of text to expand, directives and skipped groups dealt with; null at the end. */
    private LexedLine nextTextLine() {
        for (;;) {
            IncludeFrame frame = frames.peek();
            if (frame == null) {
                return null;
            }
            if (!frame.hasNext()) {
                endOfFile();
                continue;
            }
            LexedLine line = frame.take();
            currentFrame = frame;
            currentLine = line;
            if (isText(line)) {
                return line;
            }
        }
    }

    /** Processes a directive; true when the line is text to output (assembler '#' lines too). */
    private boolean isText(LexedLine line) {
        if (line.isDirective()) {
            return directives.process(line);
        }
        return !conds.skipping();
    }

    @Override
    public LexedLine takeLineStartingWithParen() {
        IncludeFrame frame = frames.peek();
        if (frame == null || !frame.hasNext()) {
            return null;
        }
        LexedLine line = frame.peek();
        if (line.isDirective() || !line.tokens().get(0).is("(")) {
            return null;
        }
        return frame.take();
    }

    @Override
    public LexedLine nextLineForArguments() {
        IncludeFrame frame = frames.peek();
        while (frame != null && frames.peek() == frame && frame.hasNext()) {
            LexedLine line = frame.take();
            if (isText(line) && frames.peek() == frame) {
                return line;
            }
        }
        return null; // the end of the file (or an #include) ends the argument list: unterminated
    }

    // ---- expanding directive operands ----

    CppMacroExpander directiveExpander(List<PpToken> rest, PpToken eol) {
        return new CppMacroExpander(macros, new DirectiveTokens(rest, eol), this, this, true);
    }

    /** Macro-expanded operands of a directive (#include, #line), without padding. */
    List<PpToken> expandDirective(List<PpToken> rest, PpToken eol) {
        CppMacroExpander expander = directiveExpander(rest, eol);
        List<PpToken> out = new ArrayList<>();
        for (PpToken t = expander.next(); t.kind() != Kind.EOF; t = expander.next()) {
            if (t.kind() != Kind.PADDING) {
                out.add(t);
            }
        }
        return out;
    }

    // ---- diagnostics and built-in macros ----

    @Override
    public AsmError error(int line, int col, String message) {
        IncludeFrame frame = frames.peek();
        return new AsmError(frame == null ? null : frame.origin(line, col), message);
    }

    @Override
    public void warning(int line, int col, String message) {
        IncludeFrame frame = frames.peek();
        warnings.add(new AsmWarning(frame == null ? null : frame.origin(line, col), message));
    }

    @Override
    public PpToken expand(Macro macro, PpToken at) {
        IncludeFrame frame = frames.peek();
        return switch (macro.builtin()) {
            case FILE -> string(frame.presumedName(), at);
            case BASE_FILE -> string(baseFile, at);
            case LINE -> number(frame.presumedLine(at.line()), at);
            case COUNTER -> number(counter++, at);
            case INCLUDE_LEVEL -> number(frames.size() - 1, at);
            case DATE -> PpToken.of(Kind.STRING, dateAndTime()[0], 0, at.line(), at.col());
            case TIME -> PpToken.of(Kind.STRING, dateAndTime()[1], 0, at.line(), at.col());
        };
    }

    /** One clock reading for the whole run, as gcc's, spelt as gcc does: {@code "Dec  6 2026"}, {@code "11:28:09"}. */
    private String[] dateAndTime() {
        if (dateAndTime == null) {
            LocalDateTime now = LocalDateTime.now();
            dateAndTime = new String[] {
                '"' + now.format(DateTimeFormatter.ofPattern("MMM ppd yyyy", Locale.ROOT)) + '"',
                '"' + now.format(DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT)) + '"'};
        }
        return dateAndTime;
    }

    private static PpToken number(long n, PpToken at) {
        return PpToken.of(Kind.NUMBER, Long.toString(n), 0, at.line(), at.col());
    }

    private static PpToken string(String s, PpToken at) {
        String quoted = '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        return PpToken.of(Kind.STRING, quoted, 0, at.line(), at.col());
    }
}
