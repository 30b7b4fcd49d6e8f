package io.entrysim.cli;

import static io.entrysim.cli.RunCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

/**
 * {@code asm-samples/nmi-in-exit-window.S} through {@code entrysim run}: what its spec cannot say
 * (the fault's error code and message). The NMI-in-the-window scenarios this class used to pin
 * (steps 14-17, with and without PCID, a consumed flush) are the sample's own spec now
 * ({@code ENTRYSIM-RUN[window]} and the lines after it), checked by {@code entrysim test}
 * ({@code io.entrysim.check.TestCommandTest}).
 */
class NmiExitWindowSampleTest {
    static final String SAMPLE = "asm-samples/nmi-in-exit-window.S";

    static JsonObject json(RunCommandTest.Result r) {
        return JsonParser.parseString(r.out()).getAsJsonObject();
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
