package io.entrysim.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.diag.AsmError;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Hostile machine descriptions: sizes and addresses out of bounds are file:line errors; nothing hangs. */
class MachineFileBoundsTest {
    private static String error(String text) {
        return assertThrows(AsmError.class, () -> MachineLayout.parse("m.machine", text)).format();
    }

    @Test
    void anAliasIsBoundedAndCanonical() {
        assertEquals("m.machine:2:13: error: alias big: SIZE 0x7ffffffff000 is more than the 0x4000000 (64 MiB)"
                + " entrysim aliases", error("# huge\nalias big 0 0x7ffffffff000 0x1000\n"));
        assertTrue(error("alias a 0xfffffffffffff000 0x2000 0x1000").startsWith("m.machine:1:9: error: alias a: "
                + "0x2000 bytes at 0xfffffffffffff000 do not lie inside one canonical half"));
        assertTrue(error("alias a 0x1000 0x1000 0x8000000000000000").startsWith("m.machine:1:23: error: alias a target:"));
        assertEquals(1, MachineLayout.parse("m", "alias ok 0x1000 64M 0x10000000").aliases().size());
    }

    @Test
    void perCpuSizesAndPlacementsAreChecked() {
        assertEquals("m.machine:1:17: error: size must be 1..0x10000 (the per-CPU area), not 0x7fffffffffffffff",
                error("percpu-user foo 0x7fffffffffffffff"));
        assertTrue(error("place .text 0x8000000000000000").startsWith("m.machine:1:13: error: section .text: "
                + "0x100000 bytes at 0x8000000000000000 do not lie inside one canonical half"));
        assertTrue(error("place .text 0x7ffffff80000").contains("do not lie inside one canonical half"));
        assertTrue(error("tss base 0xffffffffffffffc0").startsWith("m.machine:1:10: error: the TSS:"));
        assertTrue(error("symbol percpu_base 0xfffffffffffff000").startsWith("m.machine:1:20: error: the per-CPU area:"));
    }

    @Test
    void anIdtHandlerKeepsItsLine() {
        MachineLayout m = MachineLayout.parse("m.machine", "\nidt 2 nosuch");
        assertEquals("m.machine:2:7", m.idt().get(0).where().pos().toString());
    }

    @Test
    void globsMatchInLinearTime() {
        String stars = "*".repeat(5000) + "Z";
        String name = ".a_rather_long_section_name_" + "x".repeat(5000);
        MachineLayout.SectionRule rule = new MachineLayout.SectionRule(stars, true, true, true, null);
        assertFalse(assertTimeoutPreemptively(Duration.ofSeconds(5), () -> rule.matches(name)));
        assertTrue(MachineLayout.globMatches("*", ""));
        assertTrue(MachineLayout.globMatches(".user.*", ".user.text"));
        assertTrue(MachineLayout.globMatches("*.text*", ".entry.text.x"));
        assertTrue(MachineLayout.globMatches("a*b*c", "aXbYbZc"));
        assertFalse(MachineLayout.globMatches("a*b*c", "aXbYbZ"));
        assertFalse(MachineLayout.globMatches(".user.*", ".usr.text"));
        assertTrue(MachineLayout.globMatches("**x**", "aax"));
        assertTrue(MachineLayout.globMatches(".text", ".text"));
        assertFalse(MachineLayout.globMatches(".text", ".text2"));
    }
}
