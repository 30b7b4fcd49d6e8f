package io.entrysim.source;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Include files entrysim makes up at run time (headers a kernel build would have generated),
 * shown as {@code <display>/rel}.
 */
public final class MemoryRoot implements IncludeRoot {
    private final Map<String, String> files;
    private final String displayPrefix;

    public MemoryRoot(Map<String, String> files, String displayPrefix) {
        this.files = new TreeMap<>(files);
        this.displayPrefix = displayPrefix;
    }

    @Override
    public Optional<SourceFile> find(String rel) {
        String text = files.get(rel);
        return text == null ? Optional.empty() : Optional.of(new SourceFile(displayPrefix + "/" + rel, text));
    }

    @Override
    public boolean isDirectory(String rel) {
        String dir = rel.endsWith("/") ? rel : rel + "/";
        return files.keySet().stream().anyMatch(f -> f.startsWith(dir));
    }
}
