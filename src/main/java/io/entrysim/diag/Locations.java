package io.entrysim.diag;

import java.util.ArrayList;
import java.util.List;

/**
 * The one way a source location and its macro chain are written out, for text reports, JSON,
 * traces and diagnostics alike: a site is {@code NAME at file:line}, innermost first.
 */
public final class Locations {
    private Locations() {}

    /** {@code NAME at file:line}. */
    public static String site(Site s) {
        return s.name() + " at " + s.at().fileLine();
    }

    /** The macro sites of {@code origin}, innermost first, each as {@link #site}. */
    public static List<String> macroChain(Origin origin) {
        List<String> out = new ArrayList<>();
        for (Site s : origin.macroChain()) {
            out.add(site(s));
        }
        return out;
    }

    /** {@code file:line}, then {@code  (in NAME at file:line, ...)} when a macro expansion made it. */
    public static String withChain(Origin origin) {
        StringBuilder sb = new StringBuilder(origin.pos().fileLine());
        List<String> chain = macroChain(origin);
        if (!chain.isEmpty()) {
            sb.append(" (in ").append(String.join(", ", chain)).append(')');
        }
        return sb.toString();
    }

    /** {@code file:line `text'}, then the chain as {@link #withChain} writes it. */
    public static String describe(Origin origin, String text) {
        StringBuilder sb = new StringBuilder(origin.pos().fileLine()).append(" `").append(text).append('\'');
        List<String> chain = macroChain(origin);
        if (!chain.isEmpty()) {
            sb.append(" (in ").append(String.join(", ", chain)).append(')');
        }
        return sb.toString();
    }
}
