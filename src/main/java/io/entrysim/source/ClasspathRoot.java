package io.entrysim.source;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Include files shipped inside the jar, e.g. {@code ("/io/entrysim/kernel/shim", "<entrysim-shim>")}:
 * {@code asm/percpu.h} is read from resource {@code /io/entrysim/kernel/shim/asm/percpu.h} and shown
 * as {@code <entrysim-shim>/asm/percpu.h}.
 */
public final class ClasspathRoot implements IncludeRoot {
    private final String resourcePrefix;
    private final String displayPrefix;

    /** Where to read the resources from directly; null to read them through the class loader. */
    private final ZipFile jar;

    public ClasspathRoot(String resourcePrefix, String displayPrefix) {
        this(resourcePrefix, displayPrefix, OwnJar.FILE);
    }

    /** As the public constructor, reading from {@code jar} when it holds the root (tests pass their own). */
    ClasspathRoot(String resourcePrefix, String displayPrefix, ZipFile jar) {
        this.resourcePrefix = stripTrailingSlash(resourcePrefix.startsWith("/") ? resourcePrefix : "/" + resourcePrefix);
        this.displayPrefix = stripTrailingSlash(displayPrefix);
        this.jar = jar != null && jar.getEntry(this.resourcePrefix.substring(1) + "/") != null ? jar : null;
    }

    @Override
    public Optional<SourceFile> find(String rel) {
        Optional<String> normal = normalize(rel);
        if (normal.isEmpty()) {
            return Optional.empty();
        }
        String resource = resourcePrefix + "/" + normal.get();
        try (InputStream in = jar != null ? open(jar, resource.substring(1)) : ClasspathRoot.class.getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Optional.of(new SourceFile(displayPrefix + "/" + normal.get(), text));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static InputStream open(ZipFile jar, String entryName) throws IOException {
        ZipEntry entry = jar.getEntry(entryName);
        return entry == null || entry.isDirectory() ? null : jar.getInputStream(entry);
    }

    /**
     * The jar entrysim runs from, opened once (by the first root made) and kept open: on a cold
     * start, reading headers through it took half the time of a resource URL connection each.
     * Null when the classes are not in a jar (tests run from directories); roots that are not in
     * it are read as resources.
     */
    private static final class OwnJar {
        static final ZipFile FILE = open();

        private static ZipFile open() {
            try {
                CodeSource code = ClasspathRoot.class.getProtectionDomain().getCodeSource();
                Path path = code == null ? null : Path.of(code.getLocation().toURI());
                return path != null && Files.isRegularFile(path) ? new ZipFile(path.toFile()) : null;
            } catch (IOException | URISyntaxException | RuntimeException e) {
                return null;
            }
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
