package io.entrysim.source;

import io.entrysim.source.PpToken.Kind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Macro expansion with libcpp's algorithm ({@code cpp_get_token}): a stack of token contexts,
 * one per macro being rescanned; a macro is disabled while its context is on the stack, and a
 * name met while its macro is disabled is marked {@code NO_EXPAND} for good (this is how gcc
 * implements the C99 hide sets). Arguments are collected unexpanded, pre-expanded one by one
 * unless an operand of {@code #}/{@code ##}, substituted, and the result rescanned together with
 * the rest of the input. Padding tokens are produced at expansion boundaries exactly where libcpp
 * produces them so that {@link LinePrinter} can space the output like gcc.
 */
final class CppMacroExpander {
    /** What the base input is asked for when the current line runs out. */
    enum ReadMode {
        /** Plain reading: the line is over. */
        NORMAL,
        /** Looking for the {@code (} of a function-like macro: it may be on a following line. */
        PAREN_LOOKAHEAD,
        /** Inside an argument list, which may continue over following lines. */
        ARGUMENTS
    }

    /** The unexpanded input under all macro contexts: a line of text or a directive. */
    interface TokenSource {
        PpToken next(ReadMode mode);

        /** Un-reads the last token returned. */
        void backup();
    }

    /** Expands built-in macros such as {@code __LINE__} at the token naming them. */
    interface Builtins {
        PpToken expand(Macro macro, PpToken at);
    }

    private static final class Context {
        final String macro; // null for argument, paste-result and padding contexts
        final List<PpToken> tokens;
        int pos;

        Context(String macro, List<PpToken> tokens) {
            this.macro = macro;
            this.tokens = tokens;
        }
    }

    private static final class Arg {
        final List<PpToken> raw;
        final boolean omitted; // variadic arguments left out entirely: ", ## __VA_ARGS__" drops the comma
        List<PpToken> expanded;
        PpToken stringified;

        Arg(List<PpToken> raw, boolean omitted) {
            this.raw = raw;
            this.omitted = omitted;
        }
    }

    private static final int MAX_CONTEXT_DEPTH = 20_000;

    private final Map<String, Macro> macros;
    private final TokenSource base;
    private final PpDiagnostics diag;
    private final Builtins builtins;
    private final boolean inDirective;
    private final ArrayDeque<Context> contexts = new ArrayDeque<>();
    private final Set<String> disabled = new HashSet<>();
    private int preventExpansion;
    private ReadMode mode = ReadMode.NORMAL;

    CppMacroExpander(Map<String, Macro> macros, TokenSource base, PpDiagnostics diag, Builtins builtins,
            boolean inDirective) {
        this.macros = macros;
        this.base = base;
        this.diag = diag;
        this.builtins = builtins;
        this.inDirective = inDirective;
    }

    /** While positive, names are returned unexpanded (the operand of {@code defined}). */
    void preventExpansion(boolean on) {
        preventExpansion += on ? 1 : -1;
    }

    /** The next token of the expanded stream (possibly PADDING; EOF at the end of the input). */
    PpToken next() {
        for (;;) {
            PpToken result;
            Context ctx = contexts.peek();
            if (ctx == null) {
                result = base.next(mode);
            } else if (ctx.pos < ctx.tokens.size()) {
                result = ctx.tokens.get(ctx.pos++);
                if (result.has(PpToken.PASTE_LEFT) && result.kind() != Kind.PADDING) {
                    pasteAll(result, ctx);
                    if (inDirective) {
                        continue;
                    }
                    return PpToken.padding(result);
                }
            } else {
                pop();
                if (inDirective) {
                    continue;
                }
                return PpToken.AVOID_PASTE;
            }
            if (result.kind() != Kind.NAME || result.has(PpToken.NO_EXPAND)) {
                return result;
            }
            Macro macro = macros.get(result.text());
            if (macro == null) {
                return result;
            }
            if (disabled.contains(macro.name())) {
                return result.plus(PpToken.NO_EXPAND);
            }
            if (preventExpansion > 0) {
                return result;
            }
            if (enterMacroContext(macro, result)) {
                if (inDirective) {
                    continue;
                }
                return PpToken.padding(result);
            }
            return result;
        }
    }

    private void push(String macro, List<PpToken> tokens) {
        if (contexts.size() >= MAX_CONTEXT_DEPTH) {
            PpToken at = tokens.isEmpty() ? PpToken.eof(0, 0) : tokens.get(0);
            throw diag.error(at, "macro expansion nested too deeply");
        }
        contexts.push(new Context(macro, tokens));
        if (macro != null) {
            disabled.add(macro);
        }
    }

    private void pop() {
        Context ctx = contexts.pop();
        if (ctx.macro != null) {
            disabled.remove(ctx.macro);
        }
    }

    private void backup() {
        Context ctx = contexts.peek();
        if (ctx == null) {
            base.backup();
        } else {
            ctx.pos--;
        }
    }

    private boolean enterMacroContext(Macro macro, PpToken name) {
        if (macro.builtin() != null) {
            push(null, List.of(builtins.expand(macro, name)));
            return true;
        }
        if (macro.functionLike()) {
            ReadMode saved = mode;
            preventExpansion++;
            mode = ReadMode.PAREN_LOOKAHEAD;
            List<Arg> args;
            try {
                args = funlikeInvocation(macro, name);
            } finally {
                mode = saved;
                preventExpansion--;
            }
            if (args == null) {
                return false;
            }
            if (!macro.params().isEmpty()) {
                push(macro.name(), replaceArgs(macro, name, args));
                return true;
            }
        }
        List<PpToken> body = new ArrayList<>(macro.body().size());
        for (PpToken t : macro.body()) {
            body.add(t.at(name.line(), name.col()));
        }
        push(macro.name(), body);
        return true;
    }

    /** libcpp's funlike_invocation_p: the argument list, or null (input restored) when no '(' follows. */
    private List<Arg> funlikeInvocation(Macro macro, PpToken name) {
        PpToken padding = null;
        PpToken token;
        for (;;) {
            token = next();
            if (token.kind() != Kind.PADDING) {
                break;
            }
            if (padding == null || token.source() == null) {
                padding = token;
            }
        }
        if (token.is("(")) {
            mode = ReadMode.ARGUMENTS;
            return collectArgs(macro, name);
        }
        backup();
        if (padding != null) {
            push(null, List.of(padding));
        }
        return null;
    }

    private List<Arg> collectArgs(Macro macro, PpToken name) {
        int paramc = macro.params().size();
        List<Arg> args = new ArrayList<>();
        PpToken token;
        int argc = 0;
        do {
            argc++;
            List<PpToken> tokens = new ArrayList<>();
            int depth = 0;
            for (;;) {
                token = next();
                if (token.kind() == Kind.PADDING) {
                    if (tokens.isEmpty()) {
                        continue; // leading padding is dropped
                    }
                } else if (token.is("(")) {
                    depth++;
                } else if (token.is(")")) {
                    if (depth-- == 0) {
                        break;
                    }
                } else if (token.is(",")) {
                    if (depth == 0 && !(macro.variadic() && argc == paramc)) {
                        break;
                    }
                } else if (token.kind() == Kind.EOF || (token.is("#") && token.has(PpToken.BOL))) {
                    break; // libcpp: an assembler '#' line inside the arguments ends the argument
                }
                tokens.add(token);
            }
            while (!tokens.isEmpty() && tokens.get(tokens.size() - 1).kind() == Kind.PADDING) {
                tokens.remove(tokens.size() - 1);
            }
            args.add(new Arg(tokens, false));
        } while (!token.is(")") && token.kind() != Kind.EOF);

        if (token.kind() == Kind.EOF) {
            throw diag.error(token, "unterminated argument list invoking macro \"" + macro.name() + "\"");
        }
        if (argc == 1 && paramc == 0 && args.get(0).raw.isEmpty()) {
            argc = 0;
        }
        if (argc < paramc && !(argc + 1 == paramc && macro.variadic())) {
            throw diag.error(token, "macro \"" + macro.name() + "\" requires " + paramc + " arguments, but only "
                    + argc + " given");
        }
        if (argc > paramc) {
            throw diag.error(token, "macro \"" + macro.name() + "\" passed " + argc + " arguments, but takes just "
                    + paramc);
        }
        if (macro.variadic() && (argc < paramc || (argc == 1 && args.get(0).raw.isEmpty()))) {
            if (argc < paramc) {
                args.add(new Arg(List.of(), true));
            } else {
                args.set(0, new Arg(List.of(), true));
            }
        }
        return args;
    }

    /** Fully macro-expands one argument on its own (it ends at an EOF of its own). */
    private List<PpToken> expanded(Arg arg, PpToken name) {
        if (arg.expanded == null) {
            List<PpToken> tokens = new ArrayList<>(arg.raw.size() + 1);
            tokens.addAll(arg.raw);
            tokens.add(PpToken.eof(name.line(), name.col()));
            int depth = contexts.size();
            push(null, tokens);
            List<PpToken> out = new ArrayList<>();
            for (PpToken t = next(); t.kind() != Kind.EOF; t = next()) {
                out.add(t);
            }
            while (contexts.size() > depth) {
                pop();
            }
            arg.expanded = out;
        }
        return arg.expanded;
    }

    /** libcpp's replace_args: the body with parameters replaced, plus padding at every seam. */
    private List<PpToken> replaceArgs(Macro macro, PpToken name, List<Arg> args) {
        List<PpToken> body = macro.body();
        List<PpToken> buff = new ArrayList<>(body.size() + 8);
        int paramc = macro.params().size();
        for (int s = 0; s < body.size(); s++) {
            PpToken src = body.get(s);
            if (src.kind() != Kind.MACRO_ARG) {
                buff.add(src.at(name.line(), name.col()));
                continue;
            }
            int pasteFlag = -1;
            Arg arg = args.get(src.argIndex());
            boolean rhsOfPaste = s > 0 && body.get(s - 1).has(PpToken.PASTE_LEFT);
            List<PpToken> from;
            if (src.has(PpToken.STRINGIFY_ARG)) {
                if (arg.stringified == null) {
                    arg.stringified = TokenSpelling.stringify(arg.raw, name, diag);
                }
                from = List.of(arg.stringified);
            } else if (src.has(PpToken.PASTE_LEFT)) {
                from = arg.raw;
            } else if (rhsOfPaste) {
                from = arg.raw;
                if (!buff.isEmpty()) {
                    int last = buff.size() - 1;
                    if (buff.get(last).is(",") && macro.variadic() && src.argIndex() == paramc - 1) {
                        if (arg.omitted) {
                            buff.remove(last); // GNU: ", ## __VA_ARGS__" with no variadic arguments
                        } else {
                            pasteFlag = last;
                        }
                    } else if (from.isEmpty()) {
                        pasteFlag = last; // pasting with a placemarker: nothing to paste
                    }
                }
            } else {
                from = expanded(arg, name);
            }
            if (!inDirective && s > 0 && !rhsOfPaste) {
                buff.add(PpToken.padding(src));
            }
            if (!from.isEmpty()) {
                buff.addAll(from);
                if (src.has(PpToken.PASTE_LEFT)) {
                    pasteFlag = buff.size() - 1;
                }
            }
            if (!inDirective && !src.has(PpToken.PASTE_LEFT)) {
                buff.add(PpToken.AVOID_PASTE);
            }
            if (pasteFlag >= 0) {
                PpToken t = buff.get(pasteFlag);
                buff.set(pasteFlag, src.has(PpToken.PASTE_LEFT) ? t.plus(PpToken.PASTE_LEFT) : t.minus(PpToken.PASTE_LEFT));
            }
        }
        return buff;
    }

    /** Pastes {@code lhs} with what follows it in {@code ctx}, and pushes the result for rescanning. */
    private void pasteAll(PpToken lhs, Context ctx) {
        PpToken rhs;
        do {
            if (ctx.pos >= ctx.tokens.size()) {
                lhs = lhs.minus(PpToken.PASTE_LEFT);
                break;
            }
            rhs = ctx.tokens.get(ctx.pos++);
            if (rhs.kind() == Kind.PADDING) {
                lhs = lhs.minus(PpToken.PASTE_LEFT);
                break;
            }
            PpToken pasted = TokenSpelling.paste(lhs, rhs);
            if (pasted == null) {
                // Not one token: assembler-with-cpp keeps both, silently (gcc errors only for C).
                ctx.pos--;
                lhs = lhs.minus(PpToken.PASTE_LEFT);
                break;
            }
            lhs = pasted;
        } while (rhs.has(PpToken.PASTE_LEFT));
        push(null, List.of(lhs));
    }
}
