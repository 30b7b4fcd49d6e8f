package io.entrysim.macro;

import io.entrysim.diag.AsmError;
import java.util.Arrays;
import java.util.Map;

/**
 * gas's {@code macro_expand_body} for one body statement: {@code \name} (anywhere, strings
 * included, greedy over name characters so {@code \reg.x} is not {@code \reg}), {@code &name} /
 * {@code &name&}, {@code \()} (and {@code \(text)}, copied literally), {@code \@} (the macro
 * counter). A backslash or ampersand before anything else is kept as written.
 *
 * <p>Substituted characters take the column of the reference that produced them.
 */
final class Substitution {
    /** The result: text and per-character columns. */
    record Text(String text, int[] columns) {}

    private final Map<String, String> values;
    private final long counter;
    private final StringBuilder out = new StringBuilder();
    private int[] cols = new int[64];

    /**
     * @param values  formal name -> replacement text
     * @param counter what {@code \@} becomes
     */
    Substitution(Map<String, String> values, long counter) {
        this.values = values;
        this.counter = counter;
    }

    Text apply(Segment body) {
        String in = body.text();
        int[] inCols = body.columns();
        out.setLength(0);
        int n = in.length();
        int src = 0;
        while (src < n) {
            char c = in.charAt(src);
            int column = inCols[src];
            if (c == '&') {
                int start = src + 1;
                int end = GasText.tokenEnd(in, start);
                String name = in.substring(start, end);
                boolean trailingAmp = end < n && in.charAt(end) == '&';
                String value = values.get(name);
                if (value != null) {
                    add(value, column);
                } else {
                    add("&" + name + (trailingAmp ? "&" : ""), column);
                }
                src = trailingAmp ? end + 1 : end;
            } else if (c == '\\') {
                src++;
                if (src < n && in.charAt(src) == '(') {
                    int close = in.indexOf(')', src + 1);
                    if (close < 0) {
                        throw new AsmError(body.originAt(src - 1), "missing `)'");
                    }
                    add(in.substring(src + 1, close), column);
                    src = close + 1;
                } else if (src < n && in.charAt(src) == '@') {
                    add(Long.toString(counter), column);
                    src++;
                } else if (src < n && in.charAt(src) == '&') {
                    add("\\&", column);
                    src++;
                } else {
                    int end = GasText.tokenEnd(in, src);
                    String name = in.substring(src, end);
                    String value = values.get(name);
                    add(value != null ? value : "\\" + name, column);
                    src = end;
                }
            } else {
                add(c, column);
                src++;
            }
        }
        return new Text(out.toString(), Arrays.copyOf(cols, out.length()));
    }

    private void ensure(int extra) {
        if (out.length() + extra > cols.length) {
            cols = Arrays.copyOf(cols, Math.max(cols.length * 2, out.length() + extra));
        }
    }

    private void add(char c, int column) {
        ensure(1);
        cols[out.length()] = column;
        out.append(c);
    }

    private void add(String s, int column) {
        ensure(s.length());
        int at = out.length();
        Arrays.fill(cols, at, at + s.length(), column);
        out.append(s);
    }
}
