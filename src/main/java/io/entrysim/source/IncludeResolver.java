package io.entrysim.source;
import io.entrysim.diag.Site;

import io.entrysim.source.PpToken.Kind;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code #include}, {@code #include_next} and {@code #import}: the three spellings of the file
 * name (quoted, angled, macro), the search ({@code "x"}: the includer's directory first, then the
 * roots in order; {@code <x>}: the roots), the depth limit and include-once bookkeeping.
 */
final class IncludeResolver {
    private record HeaderName(String name, boolean angled, PpToken at) {}

    private record Found(SourceFile file, IncludeRoot root, String relDir, int rootIndex) {}

    private final PpSession s;

    IncludeResolver(PpSession session) {
        this.s = session;
    }

    void include(PpToken hash, PpToken directive, List<PpToken> rest, PpToken eol, boolean next, boolean once) {
        String dir = "#" + directive.text();
        HeaderName header = headerName(rest, eol, dir);
        if (header.name().isEmpty()) {
            throw s.error(header.at(), "empty filename in " + dir);
        }
        if (s.depth() >= PpSession.MAX_INCLUDE_DEPTH) {
            throw s.error(eol, "#include nested depth " + s.depth() + " exceeds maximum of "
                    + PpSession.MAX_INCLUDE_DEPTH);
        }
        IncludeFrame includer = s.top();
        if (next && includer.rootIndex < 0 && s.depth() == 1) {
            s.warning(directive, "#include_next in primary source file");
        }
        Found found = resolve(header.name(), header.angled(), next, includer);
        if (found == null) {
            throw s.error(header.at(), header.name() + (namesADirectory(header.name(), includer)
                    ? ": Is a directory" : ": No such file or directory"));
        }
        String key = onceKey(found.file());
        if (s.onceFiles.contains(key)) {
            return;
        }
        if (once) {
            s.onceFiles.add(key);
        }
        List<Site> chain = new ArrayList<>(includer.chain.size() + 1);
        chain.add(Site.include(header.name(), includer.position(hash.line(), hash.col())));
        chain.addAll(includer.chain);
        s.pushFile(found.file(), found.root(), found.relDir(), found.rootIndex(), chain);
    }

    private HeaderName headerName(List<PpToken> rest, PpToken eol, String dir) {
        String expects = dir + " expects \"FILENAME\" or <FILENAME>";
        if (rest.isEmpty()) {
            throw s.error(eol, expects);
        }
        PpToken first = rest.get(0);
        if (first.kind() == Kind.HEADER_NAME || first.kind() == Kind.STRING) {
            extraTokens(rest, dir);
            return new HeaderName(strip(first.text()), first.kind() == Kind.HEADER_NAME, first);
        }
        List<PpToken> tokens = s.expandDirective(rest, eol);
        if (tokens.isEmpty()) {
            throw s.error(eol, expects);
        }
        PpToken head = tokens.get(0);
        if (head.kind() == Kind.STRING) {
            extraTokens(tokens, dir);
            return new HeaderName(strip(head.text()), false, first);
        }
        if (head.is("<")) {
            StringBuilder name = new StringBuilder();
            int i = 1;
            for (; i < tokens.size() && !tokens.get(i).is(">"); i++) {
                if (name.length() > 0 && tokens.get(i).has(PpToken.PREV_WHITE)) {
                    name.append(' ');
                }
                name.append(tokens.get(i).text());
            }
            if (i == tokens.size()) {
                throw s.error(eol, "missing terminating > character");
            }
            extraTokens(tokens.subList(i, tokens.size()), dir);
            return new HeaderName(name.toString(), true, first);
        }
        throw s.error(first, expects);
    }

    private void extraTokens(List<PpToken> tokens, String dir) {
        if (tokens.size() > 1) {
            s.warning(tokens.get(1), "extra tokens at end of " + dir + " directive");
        }
    }

    private static String strip(String quoted) {
        return quoted.substring(1, quoted.length() - 1);
    }

    /** For {@code __has_include}: whether an include of {@code name} would find a file. */
    boolean exists(String name, boolean angled, boolean next) {
        return !name.isEmpty() && resolve(name, angled, next, s.top()) != null;
    }

    private Found resolve(String name, boolean angled, boolean next, IncludeFrame includer) {
        if (name.startsWith("/")) {
            IncludeRoot fsRoot = new DirectoryRoot(Path.of("/"));
            String rel = name.substring(1);
            return fsRoot.find(rel).map(f -> new Found(f, fsRoot, parentDir(rel), -1)).orElse(null);
        }
        List<IncludeRoot> roots = s.config.includeRoots();
        int start = 0;
        if (next && includer.rootIndex >= 0) {
            start = includer.rootIndex + 1;
        } else if (!angled && includer.root != null) {
            String rel = includer.relDir.isEmpty() ? name : includer.relDir + "/" + name;
            Optional<SourceFile> sibling = includer.root.find(rel);
            if (sibling.isPresent()) {
                return new Found(sibling.get(), includer.root, parentDir(rel), includer.rootIndex);
            }
        }
        for (int i = start; i < roots.size(); i++) {
            Optional<SourceFile> file = roots.get(i).find(name);
            if (file.isPresent()) {
                return new Found(file.get(), roots.get(i), parentDir(name), i);
            }
        }
        return null;
    }

    /** Whether the name an include did not find as a file is a directory where it looked. */
    private boolean namesADirectory(String name, IncludeFrame includer) {
        if (name.startsWith("/")) {
            return new DirectoryRoot(Path.of("/")).isDirectory(name.substring(1));
        }
        if (includer.root != null && includer.root.isDirectory(includer.relDir.isEmpty() ? name : includer.relDir + "/" + name)) {
            return true;
        }
        return s.config.includeRoots().stream().anyMatch(r -> r.isDirectory(name));
    }

    private static String parentDir(String rel) {
        int slash = rel.lastIndexOf('/');
        return slash < 0 ? "" : rel.substring(0, slash);
    }

    /** Identity of a file for #pragma once / #import: its normalized path. */
    static String onceKey(SourceFile file) {
        String path = file.displayPath();
        if (path.startsWith("<")) {
            return path;
        }
        try {
            return Path.of(path).toAbsolutePath().normalize().toString();
        } catch (InvalidPathException e) {
            return path;
        }
    }
}
