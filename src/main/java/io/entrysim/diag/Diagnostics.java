package io.entrysim.diag;

/** Formats diagnostics the way gcc/gas users expect to read them. */
public final class Diagnostics {
    private Diagnostics() {}

    /** Sites shown at each end of a long chain. */
    static final int ELIDE_KEEP = 5;

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
        java.util.List<Site> chain = origin.chain();
        for (int i = 0; i < chain.size(); i++) {
            Site site = chain.get(i);
            // Runaway recursion makes chains a hundred deep: keep both ends, elide the middle.
            if (chain.size() > 2 * ELIDE_KEEP + 1 && i == ELIDE_KEEP) {
                int skipped = chain.size() - 2 * ELIDE_KEEP;
                sb.append("\n  ... ").append(skipped).append(" more sites ...");
                i += skipped - 1;
                continue;
            }
            sb.append('\n');
            if (site.kind() == Site.Kind.MACRO) {
                sb.append("  in expansion of macro ").append(Locations.site(site));
            } else {
                sb.append("  included from ").append(site.at().fileLine());
            }
        }
        return sb.toString();
    }
}
