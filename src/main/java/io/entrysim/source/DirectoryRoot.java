package io.entrysim.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/** An include directory on disk; files are shown as {@code dir.resolve(rel)} with dir as given. */
public final class DirectoryRoot implements IncludeRoot {
    private final Path dir;

    public DirectoryRoot(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    @Override
    public Optional<SourceFile> find(String rel) {
        Path file;
        try {
            file = dir.resolve(rel);
        } catch (InvalidPathException e) {
            return Optional.empty(); // a name no file can have
        }
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SourceFile(file.toString(), new String(Files.readAllBytes(file), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            return Optional.empty(); // unreadable behaves like absent, as gcc moves on to the next directory
        }
    }

    @Override
    public boolean isDirectory(String rel) {
        try {
            return Files.isDirectory(dir.resolve(rel));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "DirectoryRoot[" + dir + "]";
    }
}
