package io.entrysim.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.entrysim.diag.AsmError;
import io.entrysim.kernel.MachineLayout;
import java.nio.charset.StandardCharsets;

/** Any machine-description text is a layout or an {@link AsmError} at its line: never a crash or a hang. */
class MachineFileFuzzTest {
    @FuzzTest(maxDuration = "2m")
    void machineFilesNeverCrash(byte[] input) {
        try {
            MachineLayout.parse("fuzz.machine", new String(input, StandardCharsets.ISO_8859_1));
        } catch (AsmError expected) {
            // a located error
        }
    }
}
