package io.entrysim.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code --stand-in FUNCTION=MODEL}: a scenario's C stand-ins can be swapped for another model
 * (or a plain stub), and the entry code then takes the path that answer leads to — which the
 * scenario's checks, written for its own path, report.
 */
class ScenarioStandInTest {
    static List<String> failed(EntryScenarioTest.Result r) {
        List<String> out = new ArrayList<>();
        for (JsonElement c : r.json().getAsJsonObject("scenario").getAsJsonArray("checks")) {
            if (!c.getAsJsonObject().get("ok").getAsBoolean()) {
                out.add(c.getAsJsonObject().get("name").getAsString());
            }
        }
        return out;
    }

    static EntryScenarioTest.Result run(String version, String scenario, String... more) {
        List<String> args = new ArrayList<>(List.of("run", "--kernel-tree", EntryScenarioTest.tree(version).toString(),
                "--scenario", scenario, "--json", "--feature", "PTI,PCID"));
        args.addAll(List.of(more));
        return EntryScenarioTest.run(args.toArray(new String[0]));
    }

    @Test
    void aSyscallWhoseCDeclinesSysretLeavesByIret() {
        EntryScenarioTest.Result r = run("v6.6.87", "syscall", "--stand-in", "do_syscall_64=iret");
        assertEquals(3, r.status(), r.err());
        assertEquals(List.of("left-by-sysret"), failed(r));
        // v4.15's fast path never calls do_syscall_64 (only its slow path, with TIF work, does)
        assertEquals(List.of(), failed(run("v4.15", "syscall", "--stand-in", "do_syscall_64=iret")));
        // and the scenario built for the IRET path, told to answer "SYSRET", leaves by SYSRET
        for (String version : List.of("v4.15", "v6.6.87")) {
            EntryScenarioTest.Result back = run(version, "syscall-iret", "--stand-in", "do_syscall_64=sysret");
            assertEquals(List.of("left-by-iret"), failed(back), version);
        }
    }

    @Test
    void aSysenterWhoseCDeclinesSysretlLeavesByIretToTheLandingPad() {
        EntryScenarioTest.Result r = run("v6.6.87", "compat-sysenter", "--stand-in", "do_SYSENTER_32=iret");
        assertEquals(3, r.status(), r.err());
        List<String> failed = failed(r);
        assertTrue(failed.contains("left-by-sysret"), failed.toString());
        assertTrue(!failed.contains("rip") && !failed.contains("rsp") && !failed.contains("cr3-restored"), failed.toString());
    }

    @Test
    void aFaultHandlerThatIsAStubReturnsToAnAccessThatStillFaults() {
        // the stub returns: back at the read, whose page is still not present
        EntryScenarioTest.Result r = run("v6.6.87", "pf-user", "--stand-in", "exc_page_fault=stub");
        assertEquals(3, r.status(), r.err());
        assertEquals(List.of("fault-handled"), failed(r));
        assertEquals("return-to-user", r.json().get("stop").getAsString());
    }

    @Test
    void mistakesAreErrors() {
        EntryScenarioTest.Result fn = run("v6.6.87", "syscall", "--stand-in", "do_sycall_64=iret");
        assertEquals(1, fn.status());
        assertTrue(fn.err().contains("--stand-in do_sycall_64=iret: no stand-in for do_sycall_64 (there are: sync_regs,"),
                fn.err());
        EntryScenarioTest.Result model = run("v6.6.87", "syscall", "--stand-in", "do_syscall_64=fast");
        assertTrue(model.err().contains("no such model (do_syscall_64 has: sysret, iret, stub)"), model.err());
        EntryScenarioTest.Result noScenario = EntryScenarioTest.run("run", "asm-samples/switch-to-user.S",
                "--stand-in", "do_syscall_64=iret");
        assertEquals(1, noScenario.status());
        assertTrue(noScenario.err().contains("--stand-in models a C function of a built-in scenario: it needs --scenario NAME"),
                noScenario.err());
    }
}
