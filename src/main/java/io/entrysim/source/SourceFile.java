package io.entrysim.source;

/**
 * The text of one source file; {@code displayPath} is what diagnostics and {@code __FILE__} show.
 * A UTF-8 byte-order mark at the start is not part of the text, as gcc reads it.
 */
public record SourceFile(String displayPath, String text) {
    public SourceFile {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
    }
}
