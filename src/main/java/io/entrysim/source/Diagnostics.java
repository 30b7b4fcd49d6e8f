package io.entrysim.source;

/** Formats diagnostics the way gcc/gas users expect to read them. */
public final class Diagnostics {
    private Diagnostics() {}

    /**
     * {@code file:line:col: LEVEL: message}, then for each macro site, innermost first,
     * {@code   in expansion of macro NAME at file:line}, then for each include site
     * {@code   included from file:line}.
     */
    public static String format(String level, Origin origin, String message) {
        StringBuilder sb = new StringBuilder();
        if (origin == null) {
            sb.append("entrysim: ").append(level).append(": ").append(message);
            return sb.toString();
        }
        sb.append(origin.pos()).append(": ").append(level).append(": ").append(message);
        for (Site site : origin.chain()) {
            sb.append('\n');
            if (site.kind() == Site.Kind.MACRO) {
                sb.append("  in expansion of macro ").append(site.name()).append(" at ").append(site.at().fileLine());
            } else {
                sb.append("  included from ").append(site.at().fileLine());
            }
        }
        return sb.toString();
    }
}
