package io.entrysim.source;

import io.entrysim.source.PpToken.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the tokens of a {@code #define} line into a {@link Macro}, with libcpp's checks and
 * messages. Assembler-with-cpp leniency: a {@code #} in a function-like body that is not followed
 * by a parameter stays a plain {@code #} (gas uses it), as gcc does.
 */
final class MacroDefinitionParser {
    private final PpDiagnostics diag;

    MacroDefinitionParser(PpDiagnostics diag) {
        this.diag = diag;
    }

    /** @param tokens what follows {@code #define}; {@code eol} marks the end of the line */
    Macro parse(List<PpToken> tokens, PpToken eol) {
        PpToken name = checkedMacroName(tokens, eol, "#define");
        int i = 1;
        List<String> params = new ArrayList<>();
        boolean functionLike = false;
        boolean variadic = false;
        if (i < tokens.size() && tokens.get(i).is("(") && !tokens.get(i).has(PpToken.PREV_WHITE)) {
            functionLike = true;
            i = parseParams(tokens, i + 1, eol, params);
            variadic = i < 0;
            i = Math.abs(i);
        }
        List<PpToken> body = parseBody(tokens.subList(i, tokens.size()), functionLike, params,
                variadic && params.get(params.size() - 1).equals("__VA_ARGS__"));
        return new Macro(name.text(), functionLike, params, variadic, body, null);
    }

    /** The macro name of #define/#undef/#ifdef/#ifndef, with gcc's complaints. */
    PpToken checkedMacroName(List<PpToken> tokens, PpToken eol, String directive) {
        if (tokens.isEmpty()) {
            throw diag.error(eol, "no macro name given in " + directive + " directive");
        }
        PpToken name = tokens.get(0);
        if (name.kind() != Kind.NAME) {
            throw diag.error(name, "macro names must be identifiers");
        }
        if (name.text().equals("defined")) {
            throw diag.error(name, "\"defined\" cannot be used as a macro name");
        }
        return name;
    }

    /**
     * Parses {@code a, b, ...)} from index {@code i}; returns the index after {@code )}, negated
     * when the macro is variadic.
     */
    private int parseParams(List<PpToken> tokens, int i, PpToken eol, List<String> params) {
        boolean prevIdent = false;
        boolean variadic = false;
        for (;; i++) {
            PpToken t = i < tokens.size() ? tokens.get(i) : eol;
            if (t.kind() == Kind.NAME && !prevIdent && !variadic) {
                if (params.contains(t.text())) {
                    throw diag.error(t, "duplicate macro parameter \"" + t.text() + "\"");
                }
                params.add(t.text());
                prevIdent = true;
                continue;
            }
            if (t.is(")") && (prevIdent || params.isEmpty() || variadic)) {
                return variadic ? -(i + 1) : i + 1;
            }
            if ((t.is(",") || t.is(")")) && prevIdent && !variadic) {
                prevIdent = false;
                continue;
            }
            if (t.is("...") && !variadic) {
                if (!prevIdent) {
                    params.add("__VA_ARGS__");
                }
                variadic = true;
                continue;
            }
            throw diag.error(t, paramError(t, prevIdent, variadic));
        }
    }

    private static String paramError(PpToken t, boolean prevIdent, boolean variadic) {
        if (variadic) {
            return "expected ')' after \"...\"";
        }
        if (t.kind() == Kind.EOF) {
            return prevIdent ? "expected ')' before end of line" : "expected parameter name before end of line";
        }
        return prevIdent ? "expected ',' or ')', found \"" + t.text() + "\""
                : "expected parameter name, found \"" + t.text() + "\"";
    }

    private List<PpToken> parseBody(List<PpToken> tokens, boolean functionLike, List<String> params,
            boolean vaArgsOk) {
        List<PpToken> body = new ArrayList<>();
        boolean followingPaste = false;
        for (int i = 0; i < tokens.size(); i++) {
            PpToken t = tokens.get(i);
            if (t.is("##")) {
                if (body.isEmpty()) {
                    throw diag.error(t, "'##' cannot appear at either end of a macro expansion");
                }
                if (!followingPaste) { // consecutive ## collapse into one
                    int last = body.size() - 1;
                    body.set(last, body.get(last).plus(PpToken.PASTE_LEFT));
                }
                followingPaste = true;
                if (i == tokens.size() - 1) {
                    throw diag.error(t, "'##' cannot appear at either end of a macro expansion");
                }
                continue;
            }
            followingPaste = false;
            if (functionLike && t.is("#") && i + 1 < tokens.size() && isParam(tokens.get(i + 1), params)) {
                PpToken param = tokens.get(i + 1);
                int flags = PpToken.STRINGIFY_ARG | (t.flags() & PpToken.PREV_WHITE);
                body.add(new PpToken(Kind.MACRO_ARG, param.text(), flags, param.line(), param.col(),
                        params.indexOf(param.text()), null));
                i++;
                continue;
            }
            if (functionLike && isParam(t, params)) {
                body.add(new PpToken(Kind.MACRO_ARG, t.text(), t.flags(), t.line(), t.col(), params.indexOf(t.text()),
                        null));
                continue;
            }
            if (t.isName("__VA_ARGS__") && !vaArgsOk) {
                diag.warning(t, "__VA_ARGS__ can only appear in the expansion of a C99 variadic macro");
            }
            body.add(t);
        }
        if (!body.isEmpty()) {
            body.set(0, body.get(0).minus(PpToken.PREV_WHITE));
        }
        return body;
    }

    private static boolean isParam(PpToken t, List<String> params) {
        return t.kind() == Kind.NAME && params.contains(t.text());
    }
}
