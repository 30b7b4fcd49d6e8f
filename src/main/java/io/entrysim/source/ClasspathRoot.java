package io.entrysim.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Include files shipped inside the jar, e.g. {@code ("/io/entrysim/kernel/shim", "<entrysim-shim>")}:
 * {@code asm/percpu.h} is read from resource {@code /io/entrysim/kernel/shim/asm/percpu.h} and shown
 * as {@code <entrysim-shim>/asm/percpu.h}.
 */
public final class ClasspathRoot implements IncludeRoot {
    private final String resourcePrefix;
    private final String displayPrefix;

    public ClasspathRoot(String resourcePrefix, String displayPrefix) {
        this.resourcePrefix = stripTrailingSlash(resourcePrefix.startsWith("/") ? resourcePrefix : "/" + resourcePrefix);
        this.displayPrefix = stripTrailingSlash(displayPrefix);
    }

    @Override
    public Optional<SourceFile> find(String rel) {
        Optional<String> normal = normalize(rel);
        if (normal.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream in = ClasspathRoot.class.getResourceAsStream(resourcePrefix + "/" + normal.get())) {
            if (in == null) {
                return Optional.empty();
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Optional.of(new SourceFile(displayPrefix + "/" + normal.get(), text));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Resolves "." and ".." so resources behave like directories; empty when it climbs above the root. */
    private static Optional<String> normalize(String rel) {
        Deque<String> parts = new ArrayDeque<>();
        for (String part : rel.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    return Optional.empty();
                }
                parts.removeLast();
            } else {
                parts.addLast(part);
            }
        }
        return parts.isEmpty() ? Optional.empty() : Optional.of(String.join("/", parts));
    }

    private static String stripTrailingSlash(String s) {
        return s.endsWith("/") && s.length() > 1 ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public String toString() {
        return "ClasspathRoot[" + resourcePrefix + " as " + displayPrefix + "]";
    }
}
