package io.entrysim.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Include files read from a jar directly, as the shims are when entrysim runs from its jar. */
class ClasspathRootTest {
    @TempDir
    Path dir;

    private ZipFile jar() throws IOException {
        Path path = dir.resolve("shims.jar");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(path))) {
            for (String name : new String[] {"r/", "r/shim/", "r/shim/asm/"}) {
                zip.putNextEntry(new ZipEntry(name));
                zip.closeEntry();
            }
            zip.putNextEntry(new ZipEntry("r/shim/asm/a.h"));
            zip.write("#define A 1\n".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return new ZipFile(path.toFile());
    }

    @Test
    void readsHeadersFromTheJarAsFromDirectories() throws IOException {
        try (ZipFile jar = jar()) {
            ClasspathRoot root = new ClasspathRoot("/r/shim/", "<shim>", jar);
            SourceFile a = root.find("asm/a.h").orElseThrow();
            assertEquals("<shim>/asm/a.h", a.displayPath());
            assertEquals("#define A 1\n", a.text());
            assertEquals(a, root.find("./asm/../asm/a.h").orElseThrow());
            assertTrue(root.find("asm/b.h").isEmpty(), "a missing header");
            assertTrue(root.find("asm").isEmpty(), "a directory is no header");
            assertTrue(root.find("../shim/asm/a.h").isEmpty(), "climbing above the root");
        }
    }

    @Test
    void aRootTheJarDoesNotHoldIsReadAsResources() throws IOException {
        try (ZipFile jar = jar()) {
            ClasspathRoot shims = new ClasspathRoot("/io/entrysim/kernel/shim", "<entrysim-shim>", jar);
            assertEquals("<entrysim-shim>/asm/percpu.h", shims.find("asm/percpu.h").orElseThrow().displayPath());
        }
    }
}
