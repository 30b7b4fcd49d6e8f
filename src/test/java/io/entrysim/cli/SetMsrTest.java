package io.entrysim.cli;

import static io.entrysim.cli.RunCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code --set} of MSRs by name. The architectural MSRs live at 0xc0000080 and up, which are
 * negative as Java ints; name lookup once treated them as "unknown" (regression pin).
 */
class SetMsrTest {
    static Path program() throws IOException {
        Path f = Files.createTempFile("msr", ".S");
        // start: syscall / hlt at +4 ... target: movq $1,%rbx / hlt
        Files.writeString(f, "start:\n\tsyscall\n\thlt\ntarget:\n\tmovq $1, %rbx\n\thlt\n");
        f.toFile().deleteOnExit();
        return f;
    }

    @Test
    void lstarAndSyscallMaskAreSetByName() throws IOException {
        RunCommandTest.Result r = run(program().toString(), "--set", "lstar=target", "--set", "syscall_mask=0x200",
                "--set", "rflags=0x202", "--json");
        assertEquals(0, r.status(), r.err());
        JsonObject j = JsonParser.parseString(r.out()).getAsJsonObject();
        JsonObject regs = j.getAsJsonObject("regs");
        assertEquals("0x1", regs.get("rbx").getAsString(), "SYSCALL went to LSTAR = target");
        assertEquals("0x202", regs.get("r11").getAsString(), "SYSCALL: R11 = RFLAGS");
        assertEquals("0x2", j.get("rflags").getAsString(), "SYSCALL: RFLAGS &= ~SYSCALL_MASK (IF cleared)");
    }

    @Test
    void eferIsSetByNameToo() throws IOException {
        // EFER.SCE (bit 0) clear: SYSCALL is #UD (SDM Vol. 2B, SYSCALL)
        RunCommandTest.Result r = run(program().toString(), "--set", "EFER=0xd00", "--set", "lstar=target", "--json");
        assertEquals(2, r.status(), r.out() + r.err());
        assertEquals("#UD", JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonObject("fault")
                .get("vector").getAsString());
    }

    @Test
    void unknownNamesAreStillErrors() {
        RunCommandTest.Result r = run("asm-samples/switch-to-user.S", "--set", "lstarx=1");
        assertEquals(1, r.status());
        assertTrue(r.err().contains("unknown register `lstarx'"), r.err());
    }
}
