package io.entrysim.macro;

import io.entrysim.diag.Origin;
import io.entrysim.diag.Site;
import io.entrysim.source.SourceLine;
import io.entrysim.diag.SourcePos;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One scrubbed statement between {@code ;} separators (labels still attached), as gas's reader
 * sees it, with the source column of every character. {@code origin} locates the first character;
 * its chain says how the text got here (macro sites, includes).
 */
record Segment(String text, int[] columns, Origin origin) {

    /** Scrubs one logical input line into segments. */
    static List<Segment> fromLine(SourceLine line) {
        return fromText(line.text(), firstColumns(line), line.origin().pos(), line.origin().chain());
    }

    private static int[] firstColumns(SourceLine line) {
        int[] columns = new int[line.text().length()];
        int first = Math.max(1, line.origin().pos().column());
        for (int i = 0; i < columns.length; i++) {
            columns[i] = first + i;
        }
        return columns;
    }

    /**
     * Scrubs {@code text} whose characters come from the given columns of the line at
     * {@code pos} (file and line are kept, columns replaced), reached through {@code chain}.
     */
    static List<Segment> fromText(String text, int[] columns, SourcePos pos, List<Site> chain) {
        List<Scrubber.Piece> pieces = Scrubber.scrub(text, columns);
        List<Segment> result = new ArrayList<>(pieces.size());
        for (Scrubber.Piece p : pieces) {
            SourcePos at = new SourcePos(pos.file(), pos.line(), p.columns()[0]);
            result.add(new Segment(p.text(), p.columns(), new Origin(at, chain)));
        }
        return result;
    }

    /** The origin of the character at {@code index} (same line, its own column). */
    Origin originAt(int index) {
        int column = columns[Math.min(index, columns.length - 1)];
        return column == origin.pos().column() ? origin : origin.atColumn(column);
    }

    /** The text from {@code index} on, leading blanks dropped; null when nothing is left. */
    Segment from(int index) {
        index = GasText.skipBlanks(text, index);
        if (index >= text.length()) {
            return null;
        }
        if (index == 0) {
            return this;
        }
        return new Segment(text.substring(index), Arrays.copyOfRange(columns, index, columns.length), originAt(index));
    }

    /** The text before {@code end} (for a label kept in front of {@code .endm}). */
    Segment upTo(int end) {
        return new Segment(text.substring(0, end), Arrays.copyOf(columns, end), origin);
    }

    SourceLine toSourceLine() {
        return new SourceLine(text, origin);
    }
}
