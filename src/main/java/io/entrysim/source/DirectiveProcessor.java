package io.entrysim.source;

import io.entrysim.source.PpToken.Kind;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Executes one directive line. In assembler-with-cpp mode a {@code #} followed by something that
 * is not a directive name ({@code # comment}, {@code #APP}, {@code # 12 "file"}) is not an
 * error: gas owns {@code #}, so the line is handed back as text (and still macro-expanded), as
 * gcc does. In skipped groups only the conditional directives count.
 */
final class DirectiveProcessor {
    private final PpSession s;
    private final MacroDefinitionParser definitions;
    private final IncludeResolver includes;
    private final Map<String, Deque<Optional<Macro>>> pushedMacros = new HashMap<>();

    DirectiveProcessor(PpSession session) {
        this.s = session;
        this.definitions = new MacroDefinitionParser(session);
        this.includes = new IncludeResolver(session);
    }

    /** @return true when the line is not a directive after all and is output as text */
    boolean process(LexedLine line) {
        List<PpToken> tokens = line.tokens();
        if (tokens.size() == 1) {
            return false; // the null directive
        }
        PpToken name = tokens.get(1);
        List<PpToken> rest = tokens.subList(2, tokens.size());
        PpToken eol = line.eof();
        if (name.kind() == Kind.NAME && conditional(name, rest, eol)) {
            return false;
        }
        if (s.conds.skipping()) {
            return false;
        }
        if (name.kind() == Kind.NUMBER) {
            gasLineMarker(tokens.get(0), name, rest, line);
            return true;
        }
        if (name.kind() != Kind.NAME) {
            return true;
        }
        switch (name.text()) {
            case "define" -> define(rest, eol);
            case "undef" -> undef(rest, eol);
            case "include" -> includes.include(tokens.get(0), name, rest, eol, false, false);
            case "include_next" -> includes.include(tokens.get(0), name, rest, eol, true, false);
            case "import" -> includes.include(tokens.get(0), name, rest, eol, false, true);
            case "line" -> line(rest, eol, line);
            case "error" -> throw s.error(name, "#error " + TokenSpelling.spell(rest));
            case "warning" -> s.warning(name, "#warning " + TokenSpelling.spell(rest));
            case "pragma" -> pragma(rest);
            case "ident", "sccs", "assert", "unassert" -> { } // gcc drops these from assembler output
            default -> {
                return true;
            }
        }
        return false;
    }

    /** Handles the conditional directives (also while skipping); false for any other name. */
    private boolean conditional(PpToken name, List<PpToken> rest, PpToken eol) {
        boolean skipping = s.conds.skipping();
        switch (name.text()) {
            case "if" -> s.conds.open("if", name, !skipping && evaluate(rest, eol, "#if"));
            case "ifdef", "ifndef" -> {
                boolean value = false;
                if (!skipping) {
                    value = isDefined(rest, eol, name.text()) == name.text().equals("ifdef");
                }
                s.conds.open(name.text(), name, value);
            }
            case "elif", "elifdef", "elifndef" -> {
                requireOpen(name);
                if (s.conds.top().kind.equals("else")) {
                    throw s.error(name, "#" + name.text() + " after #else");
                }
                s.conds.elseIf(name.text(), () -> switch (name.text()) {
                    case "elif" -> evaluate(rest, eol, "#elif");
                    case "elifdef" -> isDefined(rest, eol, "elifdef");
                    default -> !isDefined(rest, eol, "elifndef");
                });
            }
            case "else" -> {
                requireOpen(name);
                if (s.conds.top().kind.equals("else")) {
                    throw s.error(name, "#else after #else");
                }
                boolean wasSkipping = s.conds.top().wasSkipping;
                s.conds.otherwise();
                if (!wasSkipping) {
                    extraTokens(rest, 0, "else");
                }
            }
            case "endif" -> {
                requireOpen(name);
                if (!s.conds.close().wasSkipping) {
                    extraTokens(rest, 0, "endif");
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** A conditional cannot be closed from another file: each file has its own #if nesting. */
    private void requireOpen(PpToken name) {
        if (s.conds.depth() <= s.top().condDepth) {
            throw s.error(name, "#" + name.text() + " without #if");
        }
    }

    private boolean evaluate(List<PpToken> rest, PpToken eol, String directive) {
        return IfExpression.evaluate(s.directiveExpander(rest, eol), s.macros, includes::exists, s, directive);
    }

    private boolean isDefined(List<PpToken> rest, PpToken eol, String directive) {
        PpToken macro = definitions.checkedMacroName(rest, eol, "#" + directive);
        extraTokens(rest, 1, directive);
        return s.macros.containsKey(macro.text()) || IfExpression.isSpecial(macro.text());
    }

    private void extraTokens(List<PpToken> rest, int allowed, String directive) {
        if (rest.size() > allowed) {
            s.warning(rest.get(allowed), "extra tokens at end of #" + directive + " directive");
        }
    }

    private void define(List<PpToken> rest, PpToken eol) {
        Macro macro = definitions.parse(rest, eol);
        Macro old = s.macros.get(macro.name());
        if (old != null && !old.sameDefinition(macro)) {
            s.warning(rest.get(0), "\"" + macro.name() + "\" redefined");
        }
        s.macros.put(macro.name(), macro);
    }

    private void undef(List<PpToken> rest, PpToken eol) {
        PpToken name = definitions.checkedMacroName(rest, eol, "#undef");
        extraTokens(rest, 1, "undef");
        Macro old = s.macros.remove(name.text());
        if (old != null && old.builtin() != null) {
            s.warning(name, "undefining \"" + name.text() + "\"");
        }
    }

    private void line(List<PpToken> rest, PpToken eol, LexedLine line) {
        List<PpToken> tokens = s.expandDirective(rest, eol);
        if (tokens.isEmpty()) {
            throw s.error(eol, "unexpected end of file after #line");
        }
        PpToken number = tokens.get(0);
        if (number.kind() != Kind.NUMBER || !number.text().chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw s.error(number, "\"" + number.text() + "\" after #line is not a positive integer");
        }
        if (number.text().length() > 10 || Long.parseLong(number.text()) > Integer.MAX_VALUE) {
            throw s.error(number, "line number out of range");
        }
        String file = null;
        if (tokens.size() > 1) {
            PpToken name = tokens.get(1);
            if (name.kind() != Kind.STRING) {
                throw s.error(name, "\"" + name.text() + "\" is not a valid filename");
            }
            file = unquote(name.text());
            extraTokens(tokens.subList(1, tokens.size()), 1, "line");
        }
        s.top().setLine(Integer.parseInt(number.text()), file, line.lastLine());
    }

    /**
     * {@code # 12 "file"} in column 1: gcc passes it through and gas then takes it as a line
     * marker, so our positions follow it as gas's would (without a file name gas ignores it).
     */
    private void gasLineMarker(PpToken hash, PpToken number, List<PpToken> rest, LexedLine line) {
        if (hash.col() != 1 || !number.text().chars().allMatch(c -> c >= '0' && c <= '9')
                || number.text().length() > 9 || rest.isEmpty() || rest.get(0).kind() != Kind.STRING) {
            return;
        }
        s.top().setMarker(Integer.parseInt(number.text()), unquote(rest.get(0).text()), line.lastLine());
    }

    private void pragma(List<PpToken> rest) {
        if (rest.isEmpty()) {
            return;
        }
        PpToken first = rest.get(0);
        if (first.isName("once")) {
            if (s.depth() == 1) {
                s.warning(first, "#pragma once in main file");
            }
            s.onceFiles.add(IncludeResolver.onceKey(s.top().file));
        } else if (first.isName("GCC") && rest.size() >= 3 && rest.get(2).kind() == Kind.STRING
                && (rest.get(1).isName("warning") || rest.get(1).isName("error"))) {
            String message = unquote(rest.get(2).text());
            if (rest.get(1).isName("error")) {
                throw s.error(rest.get(2), message);
            }
            s.warning(rest.get(2), message);
        } else if ((first.isName("push_macro") || first.isName("pop_macro")) && rest.size() >= 4
                && rest.get(1).is("(") && rest.get(2).kind() == Kind.STRING && rest.get(3).is(")")) {
            String name = unquote(rest.get(2).text());
            Deque<Optional<Macro>> saved = pushedMacros.computeIfAbsent(name, k -> new ArrayDeque<>());
            if (first.isName("push_macro")) {
                saved.push(Optional.ofNullable(s.macros.get(name)));
            } else if (!saved.isEmpty()) {
                Optional<Macro> macro = saved.pop();
                if (macro.isPresent()) {
                    s.macros.put(name, macro.get());
                } else {
                    s.macros.remove(name);
                }
            }
        }
        // Other pragmas are dropped: gcc does not pass them to the assembler either.
    }

    /** The contents of a string literal with \\ and \" undone (file names). */
    static String unquote(String literal) {
        String body = literal.substring(1, literal.length() - 1);
        StringBuilder sb = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\' && i + 1 < body.length()) {
                c = body.charAt(++i);
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
