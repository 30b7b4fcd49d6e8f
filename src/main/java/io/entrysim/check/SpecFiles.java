package io.entrysim.check;

import io.entrysim.diag.AsmError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The spec files under the paths {@code entrysim test} is given: a file named directly is one
 * (whatever its name); a directory contributes, recursively and in name order, every {@code .S}
 * file whose comments hold an {@code ENTRYSIM-} keyword.
 */
public final class SpecFiles {
    private SpecFiles() {}

    public static List<Path> under(List<Path> paths) {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isRegularFile(p)) {
                out.add(p);
            } else if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    for (Path f : walk.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".S")).sorted().toList()) {
                        if (SpecFile.isSpec(Files.readString(f, StandardCharsets.UTF_8))) {
                            out.add(f);
                        }
                    }
                } catch (IOException | UncheckedIOException e) {
                    throw new AsmError(null, p + ": cannot read: " + e.getMessage());
                }
            } else {
                throw new AsmError(null, p + ": No such file or directory");
            }
        }
        return out;
    }
}
