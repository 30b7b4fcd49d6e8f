package io.entrysim.source;

/** The text of one source file; {@code displayPath} is what diagnostics and {@code __FILE__} show. */
public record SourceFile(String displayPath, String text) {}
