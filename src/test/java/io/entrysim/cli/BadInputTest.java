package io.entrysim.cli;

import static io.entrysim.cli.RunCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gets a located error and exit 1, never a stack trace or a hang (issue 13's table). */
class BadInputTest {
    @Test
    void aByteOrderMarkAtTheStartIsAccepted(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bom.S");
        Files.write(f, ("\uFEFF\t.text\n\tmovq $7, %rax\n\thlt\n").getBytes(StandardCharsets.UTF_8));
        RunCommandTest.Result r = run(f.toString(), "--json");
        assertEquals(0, r.status(), r.err());
        assertEquals("0x7", r.json().getAsJsonObject("regs").get("rax").getAsString());
    }

    @Test
    void aDirectoryIsNotASourceFile(@TempDir Path dir) throws IOException {
        RunCommandTest.Result r = run(dir.toString());
        assertEquals(1, r.status());
        assertTrue(r.err().contains(dir + ": Is a directory"), r.err());
        Path f = dir.resolve("inc.S");
        Files.createDirectory(dir.resolve("sub"));
        Files.writeString(f, "#include \"sub\"\n\thlt\n");
        RunCommandTest.Result inc = run(f.toString());
        assertEquals(1, inc.status());
        assertTrue(inc.err().contains("inc.S:1:10: error: sub: Is a directory"), inc.err());
    }

    @Test
    void aStepLimitBelowOneIsRefusedUpFront() {
        for (String n : new String[] {"0", "-1"}) {
            RunCommandTest.Result r = run("asm-samples/switch-to-user.S", "--max-steps", n);
            assertEquals(1, r.status(), n);
            assertTrue(r.err().contains("--max-steps must be at least 1, not " + n), r.err());
            assertEquals("", r.out(), "nothing ran");
        }
    }

    @Test
    void anIdtVectorWithLeadingZerosIsThatVector() {
        RunCommandTest.Result r = run("asm-samples/nmi-in-exit-window.S", "--machine", "pti", "--feature", "PTI,PCID",
                "--idt", "0x00000000002=nmi:2", "--nmi-at", "15", "--json");
        assertEquals(0, r.status(), r.err());
        RunCommandTest.Result big = run("asm-samples/nmi-in-exit-window.S", "--idt", "0x100000000000000002=nmi");
        assertTrue(big.err().contains("vector 0x100000000000000002 is outside 0..255"), big.err());
    }

    @Test
    void jsonGetsTheErrorAsOneObject() {
        RunCommandTest.Result r = run("src/test/resources/cli-errors/nested-chain.S", "--json");
        assertEquals(1, r.status());
        JsonObject e = r.json().getAsJsonObject("error");
        assertTrue(e.get("message").getAsString().length() > 0, r.out());
        assertTrue(e.get("at").getAsString().matches(".*:\\d+:\\d+"), r.out());
        assertTrue(e.getAsJsonArray("macro_chain").size() > 0, r.out());
        RunCommandTest.Result option = run("asm-samples/switch-to-user.S", "--json", "--set", "foo=1");
        assertTrue(option.json().getAsJsonObject("error").get("at").isJsonNull(), option.out());
    }

    @Test
    void aSelfReferentialMacroInAnOptionExpressionStopsAsCppDoes(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("x.S");
        Files.writeString(f, "#define X X+X\n\t.text\n\thlt\n");
        RunCommandTest.Result r = run(f.toString(), "--set", "rax=X");
        assertEquals(1, r.status());
        assertTrue(r.err().contains("unknown symbol `X'"), r.err());
        StringBuilder chain = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            chain.append("#define M").append(i).append(" (M").append(i + 1).append("+M").append(i + 1).append(")\n");
        }
        chain.append("#define M40 1\n\t.text\n\thlt\n");
        Files.writeString(f, chain);
        RunCommandTest.Result doubling = run(f.toString(), "--set", "rax=M0");
        assertEquals(1, doubling.status());
        assertTrue(doubling.err().contains("grows past"), doubling.err());
    }
}
