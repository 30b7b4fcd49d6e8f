package io.entrysim.source;
import io.entrysim.diag.SourcePos;
import io.entrysim.diag.Site;
import io.entrysim.diag.Origin;

import java.util.List;

/**
 * One file being read: its lines, where its {@code "sibling"} includes are looked up, how it was
 * reached ({@code chain}, innermost include site first) and the presumed name/line that
 * {@code #line} (and, for positions only, a gas-style {@code # N "file"} marker) establish.
 */
final class IncludeFrame {
    final SourceFile file;
    final List<LexedLine> lines;
    final IncludeRoot root;   // where the file was found; null for in-memory text (no sibling lookup)
    final String relDir;      // its directory relative to root ("" for the root itself)
    final int rootIndex;      // index in the configured roots, -1 when not found through them
    final List<Site> chain;
    final int condDepth;      // conditional nesting when the file was entered
    private int next;

    private String presumedName;
    private int lineDelta;
    private String markerName; // gas interprets "# 12 "file"" itself; only our positions follow it
    private int markerDelta;
    private int markerAfter;   // the marker applies to physical lines after this one

    IncludeFrame(SourceFile file, List<LexedLine> lines, IncludeRoot root, String relDir, int rootIndex,
            List<Site> chain, int condDepth) {
        this.file = file;
        this.lines = lines;
        this.root = root;
        this.relDir = relDir;
        this.rootIndex = rootIndex;
        this.chain = chain;
        this.condDepth = condDepth;
        this.presumedName = file.displayPath();
    }

    boolean hasNext() {
        return next < lines.size();
    }

    LexedLine peek() {
        return lines.get(next);
    }

    LexedLine take() {
        return lines.get(next++);
    }

    /** {@code __FILE__}. */
    String presumedName() {
        return presumedName;
    }

    /** {@code __LINE__} for a token on physical line {@code line}. */
    int presumedLine(int line) {
        return line + lineDelta;
    }

    /** {@code #line N "name"} on a directive ending at physical line {@code lastLine}. */
    void setLine(int n, String name, int lastLine) {
        lineDelta = n - (lastLine + 1);
        if (name != null) {
            presumedName = name;
        }
        markerName = null;
    }

    /** A passed-through {@code # N "name"}: diagnostics follow it as gas would. */
    void setMarker(int n, String name, int lastLine) {
        markerDelta = n - (lastLine + 1);
        markerAfter = lastLine;
        markerName = name;
    }

    SourcePos position(int line, int col) {
        if (markerName != null && line > markerAfter) {
            return new SourcePos(markerName, line + markerDelta, col);
        }
        return new SourcePos(presumedName, line + lineDelta, col);
    }

    Origin origin(int line, int col) {
        return new Origin(position(line, col), chain);
    }
}
