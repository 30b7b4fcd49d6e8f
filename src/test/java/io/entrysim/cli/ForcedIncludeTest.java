package io.entrysim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code -include FILE}, as gcc: read first, a path tried before the include roots; the source's lines keep their numbers. */
class ForcedIncludeTest {
    @Test
    void forcedFilesComeFirstInOrder(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("first.h"), "#define VALUE 1\n");
        Files.createDirectories(dir.resolve("inc"));
        Files.writeString(dir.resolve("inc/second.h"), "#undef VALUE\n#define VALUE 2\n");
        Path source = dir.resolve("prog.S");
        Files.writeString(source, "\tmovq $VALUE, %rax\n\tmovq $LATER, %rbx\n\thlt\n");
        RunCommandTest.Result r = RunCommandTest.run(source.toString(), "-include", dir.resolve("first.h").toString(),
                "-I", dir.resolve("inc").toString(), "-include", "second.h", "-DLATER=3", "--json");
        assertEquals(0, r.status(), r.err());
        assertEquals("0x2", r.json().getAsJsonObject("regs").get("rax").getAsString(), "the second -include wins");
        assertEquals("0x3", r.json().getAsJsonObject("regs").get("rbx").getAsString());

        Files.writeString(source, "\tmovq $VALUE, %rax\n\tbogus %rax\n");
        RunCommandTest.Result bad = RunCommandTest.run(source.toString(), "-include", dir.resolve("first.h").toString());
        assertEquals(1, bad.status());
        assertTrue(bad.err().startsWith(source + ":2:"), "line numbers of the source are its own: " + bad.err());
    }

    @Test
    void aMissingOrDirectoryForcedIncludeIsAnError(@TempDir Path dir) throws IOException {
        Path source = dir.resolve("prog.S");
        Files.writeString(source, "\thlt\n");
        RunCommandTest.Result missing = RunCommandTest.run(source.toString(), "-include", "nosuch.h");
        assertEquals(1, missing.status());
        assertTrue(missing.err().contains("-include nosuch.h: No such file or directory"), missing.err());
        RunCommandTest.Result directory = RunCommandTest.run(source.toString(), "-include", dir.toString());
        assertEquals(1, directory.status());
        assertTrue(directory.err().contains(": Is a directory"), directory.err());
    }
}
