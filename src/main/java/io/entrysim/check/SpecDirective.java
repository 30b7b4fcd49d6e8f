package io.entrysim.check;

import io.entrysim.diag.Origin;
import io.entrysim.diag.SourcePos;

/**
 * One spec line found in a comment: {@code ENTRYSIM-RUN[tag]: text}, {@code ENTRYSIM-EXPECT[tag]:
 * text} or {@code ENTRYSIM-NMI: text}.
 *
 * @param keyword RUN, EXPECT or NMI
 * @param tag the bracketed tag, or null
 * @param text what follows the colon, trimmed (continuation lines joined)
 * @param pos where {@code text} starts, for diagnostics
 */
public record SpecDirective(String keyword, String tag, String text, SourcePos pos) {
    public Origin origin() {
        return Origin.at(pos);
    }
}
