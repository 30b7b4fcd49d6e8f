package io.entrysim.source;

import java.util.List;

/**
 * A {@code #define}d macro. Parameters appear in {@code body} as {@code MACRO_ARG} tokens (with
 * {@code STRINGIFY_ARG} when written {@code #param}); a token followed by {@code ##} carries
 * {@code PASTE_LEFT} and the {@code ##} itself is gone, as in libcpp. Built-in macros
 * ({@code __LINE__}, ...) have no body and a {@code builtin} kind.
 */
record Macro(String name, boolean functionLike, List<String> params, boolean variadic, List<PpToken> body,
        Builtin builtin) {
    enum Builtin { FILE, LINE, COUNTER, INCLUDE_LEVEL, BASE_FILE, DATE, TIME }

    Macro {
        params = List.copyOf(params);
        body = List.copyOf(body);
    }

    static Macro builtin(String name, Builtin kind) {
        return new Macro(name, false, List.of(), false, List.of(), kind);
    }

    /** Whether a redefinition with {@code other} is the same definition (no "redefined" warning). */
    boolean sameDefinition(Macro other) {
        if (functionLike != other.functionLike || variadic != other.variadic || !params.equals(other.params)
                || builtin != other.builtin || body.size() != other.body.size()) {
            return false;
        }
        int relevant = PpToken.PREV_WHITE | PpToken.PASTE_LEFT | PpToken.STRINGIFY_ARG;
        for (int i = 0; i < body.size(); i++) {
            PpToken a = body.get(i);
            PpToken b = other.body.get(i);
            if (a.kind() != b.kind() || !a.text().equals(b.text()) || a.argIndex() != b.argIndex()
                    || (a.flags() & relevant) != (b.flags() & relevant)) {
                return false;
            }
        }
        return true;
    }

    /** The replacement list spelled the way {@code cpp -dM} shows it. */
    String spelledBody() {
        StringBuilder sb = new StringBuilder();
        for (PpToken t : body) {
            if (sb.length() > 0 && (t.has(PpToken.PREV_WHITE))) {
                sb.append(' ');
            }
            if (t.kind() == PpToken.Kind.MACRO_ARG) {
                sb.append(t.has(PpToken.STRINGIFY_ARG) ? "#" : "").append(params.get(t.argIndex()));
            } else {
                sb.append(t.text());
            }
            if (t.has(PpToken.PASTE_LEFT)) {
                sb.append(" ##");
            }
        }
        return sb.toString();
    }
}
