package io.entrysim.source;

import java.util.Optional;

/** A place {@code #include} looks for files, like one {@code -I} directory. */
public interface IncludeRoot {
    /** The file at relative path {@code rel} under this root, or empty. */
    Optional<SourceFile> find(String rel);

    /** Whether {@code rel} names a directory under this root (to say so instead of "no such file"). */
    default boolean isDirectory(String rel) {
        return false;
    }
}
