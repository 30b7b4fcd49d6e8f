package io.entrysim.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code debug --scenario NAME}: {@code run} stops where {@code run --scenario} stops (control
 * back in the interrupted context, after as many instructions), and the driver entrysim wrote is
 * listed like any source.
 */
class DebugScenarioTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({"syscall, return-to-user", "pf-user, return-to-user", "irq-kernel, return-to-kernel",
        "compat-sysenter, return-to-user", "db-kernel, return-to-kernel"})
    void runStopsWhereTheScenarioReturns(String scenario, String stop) {
        String tree = EntryScenarioTest.tree("v6.6.87").toString();
        EntryScenarioTest.Result plain = EntryScenarioTest.run("run", "--kernel-tree", tree, "--scenario", scenario,
                "--feature", "PTI,PCID", "--json");
        long steps = plain.json().get("steps").getAsLong();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.execute(new String[] {"debug", "--kernel-tree", tree, "--scenario", scenario, "--feature",
                "PTI,PCID", "--batch"}, new ByteArrayInputStream("run\nlist entrysim_user_code\n".getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, status, err.toString());
        List<String> lines = out.toString().lines().toList();
        assertTrue(lines.contains("[Program stopped: " + stop + "]"), out.toString());
        assertTrue(lines.contains("steps: " + steps), "as run --scenario: " + steps + "\n" + out);
        assertTrue(lines.contains("   5\tentrysim_user_code:"), out.toString());
    }
}
