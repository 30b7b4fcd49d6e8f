package io.entrysim.check;

import io.entrysim.diag.AsmError;
import io.entrysim.diag.Origin;
import java.util.ArrayList;
import java.util.List;

/**
 * A RUN line's braces, expanded to its matrix of run configurations as a shell expands them:
 * {@code {a,b,c}} in a word stands for three words, braces nest, and a line's words multiply
 * ({@code --feature {,PTI} --set cr3={0x1c0a000,0x1c0a001}} is four runs, the first word's
 * alternatives varying slowest). Braces inside quotes and braces without a top-level comma
 * ({@code {}}, {@code {x}}) are text. Since {@code ,} separates alternatives, a
 * {@code --feature} value joins features with {@code +} ({@code {PTI,PTI+PCID}}); see
 * {@link RunConfigurations}.
 */
public final class BraceExpansion {
    /** More configurations from one RUN line than this is a mistake, not a matrix. */
    public static final int MAX_CONFIGURATIONS = 100_000;

    private BraceExpansion() {}

    /** Every expansion of the words (quotes kept), in order. */
    public static List<List<String>> expand(List<String> words, Origin where) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of());
        for (String w : words) {
            List<String> alternatives = word(w, where);
            if ((long) rows.size() * alternatives.size() > MAX_CONFIGURATIONS) {
                throw new AsmError(where, "the braces expand to more than " + MAX_CONFIGURATIONS + " run configurations");
            }
            List<List<String>> next = new ArrayList<>(rows.size() * alternatives.size());
            for (List<String> row : rows) {
                for (String a : alternatives) {
                    List<String> r = new ArrayList<>(row);
                    r.add(a);
                    next.add(r);
                }
            }
            rows = next;
        }
        return rows;
    }

    /** Every expansion of one word. */
    public static List<String> word(String w, Origin where) {
        List<String> out = new ArrayList<>();
        expandInto(w, out, where, 0);
        return out;
    }

    private static void expandInto(String w, List<String> out, Origin where, int depth) {
        if (out.size() > MAX_CONFIGURATIONS || depth > 64) {
            throw new AsmError(where, "the braces expand to more than " + MAX_CONFIGURATIONS + " run configurations");
        }
        // the first brace group (outside quotes) that has a comma at its own level
        char quote = 0;
        for (int open = 0; open < w.length(); open++) {
            char c = w.charAt(open);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
                continue;
            }
            if (c == '\'' || c == '"') {
                quote = c;
                continue;
            }
            if (c != '{') {
                continue;
            }
            List<Integer> commas = new ArrayList<>();
            int close = matching(w, open, commas);
            if (close < 0) {
                throw new AsmError(where, "unbalanced `{' in `" + w + "'");
            }
            if (commas.isEmpty()) {
                continue;   // {x} is text, as in a shell; its inside may still hold a group
            }
            String prefix = w.substring(0, open);
            String suffix = w.substring(close + 1);
            int from = open + 1;
            commas.add(close);
            for (int comma : commas) {
                expandInto(prefix + w.substring(from, comma) + suffix, out, where, depth + 1);
                from = comma + 1;
            }
            return;
        }
        out.add(w);
    }

    /** The index of the {@code }} closing the brace at {@code open}, collecting its top-level commas; -1 if none. */
    private static int matching(String w, int open, List<Integer> commas) {
        int depth = 0;
        char quote = 0;
        for (int i = open; i < w.length(); i++) {
            char c = w.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '{') {
                depth++;
            } else if (c == '}') {
                if (--depth == 0) {
                    return i;
                }
            } else if (c == ',' && depth == 1) {
                commas.add(i);
            }
        }
        return -1;
    }
}
