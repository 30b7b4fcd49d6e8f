package io.entrysim.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.parse.HostGas;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegisterNamesTest {
    /** Names gas 2.40 rejects ("bad register name") and entrysim must too. */
    private static final List<String> NOT_REGISTERS = List.of(
            "r8l", "r15l", "r16", "cr16", "dr16", "xmm32", "ymm32", "k8", "mm8", "rflags", "eflags", "tr6", "foo");

    @Test
    void everyGprNameRoundTrips() {
        int gprs = 0;
        for (String name : RegisterNames.all()) {
            RegisterNames.GprName g = RegisterNames.gpr(name);
            if (g != null) {
                gprs++;
                assertEquals(name, RegisterNames.gprName(g.number(), g.size(), g.highByte()));
            }
        }
        assertEquals(16 * 4 + 4, gprs);
        for (int n = 0; n < RegisterNames.GPR_COUNT; n++) {
            assertEquals(n, RegisterNames.number64(RegisterNames.name64(n)));
        }
    }

    @Test
    void spellings() {
        assertEquals(new RegisterNames.GprName(0, 1, true), RegisterNames.gpr("ah"));
        assertEquals(new RegisterNames.GprName(6, 1, false), RegisterNames.gpr("sil"));
        assertEquals(new RegisterNames.GprName(9, 4, false), RegisterNames.gpr("r9d"));
        assertEquals("r12w", RegisterNames.gprName(12, 2, false));
        assertEquals("r15b", RegisterNames.gprName(15, 1, false));
        assertEquals(-1, RegisterNames.number64("eax"));
        assertEquals(3, RegisterNames.controlRegister("cr3"));
        assertEquals(-1, RegisterNames.controlRegister("cr1"));
        assertTrue(RegisterNames.isRegister("cr1"));
        assertTrue(RegisterNames.isSegment("gs"));
        assertFalse(RegisterNames.isSegment("rip"));
        for (String bad : NOT_REGISTERS) {
            assertFalse(RegisterNames.isRegister(bad), bad);
            assertNull(RegisterNames.gpr(bad), bad);
        }
    }

    /**
     * Every name in the table is one gas accepts, in at least one operand position; the names gas
     * rejects are rejected in all. gas 2.40 takes %riz/%eiz only with -mindex-reg.
     */
    @Test
    void gasAcceptsExactlyTheseNames(@TempDir Path dir) throws Exception {
        HostGas.assumeTools("as");
        String[] forms = {"mov %%%s, %%rax", "lea (%%rax,%%%s,1), %%rax", "lea (%%eax,%%%s,1), %%eax", "lea 0(%%%s), %%rax"};
        List<String> names = new ArrayList<>(new TreeSet<>(RegisterNames.all()));
        names.addAll(NOT_REGISTERS);
        StringBuilder src = new StringBuilder();
        for (String n : names) {
            for (String f : forms) {
                src.append(String.format(f, n)).append('\n');
            }
        }
        Files.writeString(dir.resolve("r.s"), src);
        String err = HostGas.exec(dir, "as", "--64", "-mindex-reg", "-o", "r.o", "r.s").stderr();
        TreeMap<String, Integer> rejections = new TreeMap<>();
        Matcher m = Pattern.compile("r\\.s:\\d+: Error: bad register name `%([a-z0-9]+)").matcher(err);
        while (m.find()) {
            rejections.merge(m.group(1), 1, Integer::sum);
        }
        Set<String> rejected = new TreeSet<>();
        rejections.forEach((name, count) -> {
            if (count == forms.length) {
                rejected.add(name);
            }
        });
        assertEquals(new TreeSet<>(NOT_REGISTERS), rejected);
    }
}
