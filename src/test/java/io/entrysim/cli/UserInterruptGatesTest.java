package io.entrysim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which gates user mode may raise with {@code int $n}: Linux's system gates (#BP, #OF and the
 * 32-bit system call vector 0x80) are DPL 3; any other gate is DPL 0, and {@code int $n} to it
 * from CPL 3 is #GP(n * 8 + 2), as the SDM says.
 */
class UserInterruptGatesTest {
    static final String PROGRAM = """
            \t.section .user.text, "ax"
            user:
            \tint $VECTOR
            \t.text
            handler:
            \tmovq $0x1234, %rbx
            \thlt
            """;

    static RunCommandTest.Result run(Path dir, int vector) throws IOException {
        Path source = dir.resolve("int.S");
        Files.writeString(source, PROGRAM.replace("VECTOR", "0x" + Integer.toHexString(vector)));
        return RunCommandTest.run(source.toString(), "--entry", "user", "--set", "cs=0x33", "--set", "ss=0x2b",
                "--set", "rsp=0x7fffffff0000", "--idt", vector + "=handler", "--json");
    }

    @Test
    void int0x80ReachesItsGateFromUserMode(@TempDir Path dir) throws IOException {
        RunCommandTest.Result r = run(dir, 0x80);
        assertEquals(0, r.status(), r.err());
        assertEquals("0x1234", r.json().getAsJsonObject("regs").get("rbx").getAsString());
    }

    @Test
    void anotherVectorFromUserModeIsGeneralProtection(@TempDir Path dir) throws IOException {
        RunCommandTest.Result r = run(dir, 0x30);
        assertEquals(2, r.status(), r.err());
        assertEquals("0x182", r.json().getAsJsonObject("fault").get("error_code").getAsString(), "0x30 * 8 + 2");
        assertTrue(r.err().contains("the gate's DPL is 0"), r.err());
    }

    /** INT1 (icebp) raises #DB with no DPL check: from CPL 3 it reaches a DPL-0 gate, as a trap (the frame's RIP is after it). */
    @Test
    void int1ReachesTheDebugGateFromUserMode(@TempDir Path dir) throws IOException {
        Path source = dir.resolve("int1.S");
        Files.writeString(source, """
                \t.section .user.text, "ax"
                user:
                \tint1
                after:
                \t.text
                handler:
                \tmovq (%rsp), %rcx
                \tleaq after, %rdx
                \thlt
                """);
        RunCommandTest.Result r = RunCommandTest.run(source.toString(), "--entry", "user", "--set", "cs=0x33",
                "--set", "ss=0x2b", "--set", "rsp=0x7fffffff0000", "--idt", "1=handler", "--json");
        assertEquals(0, r.status(), r.err());
        assertEquals(r.json().getAsJsonObject("regs").get("rdx").getAsString(),
                r.json().getAsJsonObject("regs").get("rcx").getAsString());
    }
}
