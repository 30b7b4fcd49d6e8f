package io.entrysim.cli;

import static io.entrysim.cli.RunCommandTest.run;
import static io.entrysim.cli.RunCommandTest.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * {@code asm-samples/nmi-in-exit-window.S} through {@code entrysim run}: an NMI between the exit's
 * switch to the user CR3 and sysretq. Step numbers and CR3 values are worked out from the sample:
 * with PTI,PCID and nothing pending, steps 1-5 set up and push the user RSP, 6-14 are
 * to_user_cr3 (mov, mov, and, btr, jc, bts, or, or, mov), 15-17 popq %rsp, swapgs, sysretq.
 * Kernel CR3 0x1c0a001 (PCID 1); its user twin 0x1c0b801.
 */
class NmiExitWindowSampleTest {
    static final String SAMPLE = "asm-samples/nmi-in-exit-window.S";

    static JsonObject json(RunCommandTest.Result r) {
        return JsonParser.parseString(r.out()).getAsJsonObject();
    }

    static RunCommandTest.Result nmiAt(long step, String... more) {
        List<String> args = new ArrayList<>(List.of(SAMPLE, "--machine", "pti", "--idt", "2=nmi:2",
                "--nmi-at", Long.toString(step), "--dump", "nmi_saw_cr3", "--json"));
        args.addAll(List.of(more));
        return run(args.toArray(new String[0]));
    }

    @ParameterizedTest(name = "NMI before step {0}")
    @ValueSource(longs = {15, 16, 17})
    void nmiInTheWindowRunsOnTheKernelCr3AndRestoresTheUserCr3(long step) {
        RunCommandTest.Result r = nmiAt(step, "--feature", "PTI,PCID");
        assertEquals(0, r.status(), r.err());
        JsonObject j = json(r);
        assertEquals(List.of("0x8000000001c0b801", "0x8000000001c0a001", "0x8000000001c0b801"),
                strings(j.getAsJsonArray("cr3_writes")), "exit to user; NMI: kernel twin; NMI: exactly the user CR3 back");
        assertEquals("01a0c00100000000", j.getAsJsonArray("memory").get(0).getAsJsonObject().get("hex").getAsString(),
                "the C handler ran on the kernel CR3 0x1c0a001");
        assertEquals("return-to-user", j.get("stop").getAsString());
        assertEquals("0x1c0b801", j.get("cr3").getAsString());
        assertEquals("0x400000", j.getAsJsonObject("regs").get("rip").getAsString(), "sysretq to user_text");
        assertEquals("0x7fffffffefc0", j.getAsJsonObject("regs").get("rsp").getAsString(), "the user RSP");
        assertEquals("0xffff88807fc00000", j.get("kernel_gs_base").getAsString(), "GS swapped exactly once overall");
        assertEquals(0, j.getAsJsonArray("violations").size());
    }

    @Test
    void beforeTheWindowTheNmiFindsTheKernelCr3AndLeavesItNoflush() {
        JsonObject j = json(nmiAt(14, "--feature", "PTI,PCID"));
        assertEquals(List.of("0x8000000001c0a001", "0x8000000001c0b801"), strings(j.getAsJsonArray("cr3_writes")),
                "interrupted on the kernel CR3: no switch, restored with NOFLUSH; then the exit");
        assertEquals("return-to-user", j.get("stop").getAsString());
    }

    @Test
    void aConsumedFlushIsNotLost() {
        // the flush path is one step shorter (jc taken, no bts): the window is steps 14-16
        RunCommandTest.Result r = nmiAt(14, "--feature", "PTI,PCID", "--invalidate", "user-pcid=1", "--exit-to-user");
        assertEquals(0, r.status(), r.err());
        assertEquals(List.of("0x1c0b801", "0x8000000001c0a001", "0x8000000001c0b801"),
                strings(json(r).getAsJsonArray("cr3_writes")), "the exit flushes; the NMI's restore need not");
    }

    @Test
    void withoutPcidEveryWriteFlushes() {
        // to_user_cr3 without PCID: mov, jmp, or, mov (steps 6-9); popq %rsp is step 10
        RunCommandTest.Result r = nmiAt(10, "--feature", "PTI");
        assertEquals(0, r.status(), r.err());
        assertEquals(List.of("0x1c0b000", "0x1c0a000", "0x1c0b000"), strings(json(r).getAsJsonArray("cr3_writes")));
        assertEquals("00a0c00100000000", json(r).getAsJsonArray("memory").get(0).getAsJsonObject().get("hex").getAsString());
    }

    @Test
    void callingTheCHandlerOnTheUserCr3Faults() {
        RunCommandTest.Result r = run(SAMPLE, "--machine", "pti", "--feature", "PTI,PCID", "--idt", "2=broken_nmi:2",
                "--nmi-at", "15", "--json");
        assertEquals(2, r.status());
        JsonObject f = json(r).getAsJsonObject("fault");
        assertEquals("#PF", f.get("vector").getAsString());
        assertEquals("0x10", f.get("error_code").getAsString(), "an instruction fetch at CPL 0 from an unmapped page");
        assertEquals("0x1c0b801", f.get("cr3").getAsString(), "on the user page tables");
        assertTrue(f.get("message").getAsString().contains("not mapped in the user page tables"), f.toString());
    }
}
