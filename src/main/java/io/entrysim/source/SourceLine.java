package io.entrysim.source;
import io.entrysim.diag.Origin;

/** One logical line of text with its provenance: what flows between the front-end stages. */
public record SourceLine(String text, Origin origin) {
    @Override
    public String toString() {
        return origin.pos().fileLine() + ": " + text;
    }
}
