package io.entrysim.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.entrysim.cli.Main;
import io.entrysim.cpu.Reg;
import io.entrysim.kernel.KernelTree;
import io.entrysim.scenario.EntryScenario;
import io.entrysim.scenario.ScenarioCheck;
import io.entrysim.session.BuildOptions;
import io.entrysim.session.Machine;
import io.entrysim.session.RunOutcome;
import io.entrysim.session.RunSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code run --kernel-tree T --scenario syscall|irq-user}: each tree's own SYSCALL entry and
 * SYSRET exit, and its external-interrupt entry and IRET exit to user mode, unedited, run end to
 * end, and every check of the state they return to holds — with PTI and PCID, PTI alone, and no
 * PTI; v4.15 through its trampoline, v6.6.87 through the TSS sp2 spill and sync_regs.
 */
class EntryScenarioTest {
    record Result(int status, JsonObject json, String err) {}

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
        JsonObject json = out.toString().isBlank() ? null : JsonParser.parseString(out.toString()).getAsJsonObject();
        return new Result(status, json, err.toString());
    }

    static Path tree(String version) {
        Path tree = CorpusRun.corpus().resolve("trees").resolve(version).toAbsolutePath();
        Assumptions.assumeTrue(Files.isDirectory(tree), tree + " is absent: skipped");
        return tree;
    }

    /** Every built scenario on both trees under PTI+PCID, PTI and no PTI. */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> everyConfiguration() {
        List<org.junit.jupiter.params.provider.Arguments> out = new ArrayList<>();
        for (String scenario : EntryScenario.NAMES) {
            for (String version : List.of("v4.15", "v6.6.87")) {
                for (String features : List.of("PTI,PCID", "PTI", "")) {
                    out.add(org.junit.jupiter.params.provider.Arguments.of(version, features, scenario));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{2} on {0} --feature {1}")
    @org.junit.jupiter.params.provider.MethodSource("everyConfiguration")
    void everyCheckHolds(String version, String features, String scenarioName) {
        List<String> args = new ArrayList<>(List.of("run", "--kernel-tree", tree(version).toString(),
                "--scenario", scenarioName, "--json"));
        if (!features.isEmpty()) {
            args.addAll(List.of("--feature", features));
        }
        Result r = run(args.toArray(new String[0]));
        assertEquals(0, r.status(), r.err());
        JsonObject scenario = r.json().getAsJsonObject("scenario");
        assertEquals(scenarioName, scenario.get("name").getAsString());
        assertEquals(version.substring(1).split("\\.").length == 2 ? version.substring(1) + ".0" : version.substring(1),
                scenario.get("kernel").getAsString());
        List<String> failed = new ArrayList<>();
        for (JsonElement c : scenario.getAsJsonArray("checks")) {
            if (!c.getAsJsonObject().get("ok").getAsBoolean()) {
                failed.add(c.toString());
            }
        }
        assertEquals(List.of(), failed);
        assertTrue(scenario.getAsJsonArray("checks").size() >= 13, scenario.toString());
        boolean kernelContext = scenarioName.endsWith("-kernel");
        assertEquals(kernelContext ? "return-to-kernel" : "return-to-user", r.json().get("stop").getAsString());
        if (!kernelContext) {
            assertEquals(features.contains("PTI") ? 2 : 0, r.json().getAsJsonArray("cr3_writes").size(),
                    "PTI switches to the kernel CR3 and back; without it CR3 is never written");
        }
    }

    @Test
    void theChecksCompareWithTheContextAsGivenAndCatchAChange() {
        // the user's --set wins over the scenario's, and the checks expect what was set
        Result set = run("run", "--kernel-tree", tree("v6.6.87").toString(), "--scenario", "syscall", "--json",
                "--feature", "PTI", "--set", "rbx=0x1234");
        assertEquals(0, set.status(), set.err());
        // a register the path would have changed: the check says which
        EntryScenario s = EntryScenario.prepare("syscall", BuildOptions.defaults()
                .withKernelTree(KernelTree.open(tree("v6.6.87"))).withFeatures(Set.of("PTI")), RunSpec.defaults());
        Machine m = s.machine();
        EntryScenario.Start start = EntryScenario.Start.of(m.cpu());
        RunOutcome outcome = s.run(m, start);
        m.cpu().setReg(Reg.R12, 0);
        List<ScenarioCheck> failed = s.check(start, m, outcome).stream().filter(c -> !c.ok()).toList();
        assertEquals(List.of(new ScenarioCheck("gprs-preserved", false, "r12 0xc12 -> 0x0")), failed);
    }

    @Test
    void scenarioMistakesAreErrors() {
        assertTrue(run("run", "--scenario", "syscall").err().contains("--scenario needs --kernel-tree DIR"));
        Result unknown = run("run", "--kernel-tree", tree("v4.15").toString(), "--scenario", "sycall");
        assertEquals(1, unknown.status());
        assertTrue(unknown.err().contains("no such scenario (known: syscall, syscall-iret"), unknown.err());
        Result noTree = run("run", "--kernel-tree", "/nonexistent/linux", "--scenario", "pf-user");
        assertEquals(1, noTree.status());
        assertTrue(run("run").err().contains("missing FILE.S (or --scenario NAME with --kernel-tree DIR)"));
    }

    /** An NMI before every step of the round trip (from user mode, in the entry, in the exit window): every check still holds. */
    @ParameterizedTest(name = "{2} on {0} --feature {1}")
    @CsvSource({"v4.15, 'PTI,PCID', syscall", "v6.6.87, 'PTI,PCID', syscall", "v6.6.87, '', syscall",
        "v4.15, 'PTI,PCID', irq-user", "v6.6.87, 'PTI,PCID', irq-user",
        "v4.15, 'PTI,PCID', irq-kernel", "v6.6.87, 'PTI,PCID', irq-kernel",
        "v4.15, 'PTI,PCID', compat-syscall", "v6.6.87, 'PTI,PCID', compat-syscall",
        "v4.15, 'PTI,PCID', compat-int80", "v6.6.87, 'PTI,PCID', compat-int80",
        "v4.15, 'PTI,PCID', compat-sysenter", "v6.6.87, 'PTI,PCID', compat-sysenter",
        "v4.15, 'PTI,PCID', pf-user", "v6.6.87, 'PTI,PCID', pf-user", "v6.6.87, 'PTI', pf-kernel",
        "v4.15, 'PTI,PCID', db-kernel", "v6.6.87, 'PTI,PCID', db-kernel"})
    void anNmiAtEveryStepLeavesEveryCheckHolding(String version, String features, String scenarioName) {
        BuildOptions options = BuildOptions.defaults().withKernelTree(KernelTree.open(tree(version)));
        options = options.withFeatures(features.isEmpty() ? Set.of() : Set.of(features.split(",")));
        EntryScenario s = EntryScenario.prepare(scenarioName, options, RunSpec.defaults());
        Machine plain = s.machine();
        long steps = s.run(plain, EntryScenario.Start.of(plain.cpu())).steps();
        List<String> failures = new ArrayList<>();
        for (long k = 1; k <= steps; k++) {
            Machine m = s.machine();
            m.injectNmiAt(k);
            EntryScenario.Start start = EntryScenario.Start.of(m.cpu());
            RunOutcome outcome = s.run(m, start);
            for (ScenarioCheck c : s.check(start, m, outcome)) {
                if (!c.ok()) {
                    failures.add("NMI before step " + k + ": " + c.name() + " " + c.detail());
                }
            }
            assertTrue(outcome.steps() > steps, "the NMI ran: " + outcome.steps() + " steps at k=" + k);
        }
        assertEquals(List.of(), failures.stream().limit(10).toList(), failures.size() + " failures");
    }

    /**
     * --irq-at combines with a scenario: an external interrupt during v4.15's SYSCALL path (held
     * until its fast path enables interrupts) runs and changes no check. (6.6's asm never enables
     * them — its C does, which is a stub here — so there the interrupt waits past the return.)
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"v4.15"})
    void anInterruptDuringTheSyscallPathChangesNoCheck(String version) {
        Result plain = run("run", "--kernel-tree", tree(version).toString(), "--scenario", "syscall", "--json",
                "--feature", "PTI,PCID");
        Result irq = run("run", "--kernel-tree", tree(version).toString(), "--scenario", "syscall", "--json",
                "--feature", "PTI,PCID", "--irq-at", "10=0x20");
        assertEquals(0, irq.status(), irq.err());
        assertTrue(irq.json().get("steps").getAsLong() > plain.json().get("steps").getAsLong() + 20,
                "the interrupt's path ran: " + irq.json().get("steps") + " vs " + plain.json().get("steps"));
        assertEquals(plain.json().get("regs"), irq.json().get("regs"));
    }

    @org.junit.jupiter.api.Test
    void irqAtMistakesAreErrors() {
        Result vector = run("run", "asm-samples/switch-to-user.S", "--irq-at", "3=7");
        assertEquals(1, vector.status());
        assertTrue(vector.err().contains("--irq-at: vector 0x7 is not an external interrupt's"), vector.err());
        Result shape = run("run", "asm-samples/switch-to-user.S", "--irq-at", "3");
        assertTrue(shape.err().contains("--irq-at wants STEP=VECTOR (e.g. 5=0x20), not `3'"), shape.err());
        Result late = run("run", "asm-samples/switch-to-user.S", "--irq-at", "1000=0x20", "--json");
        assertTrue(late.err().contains("--irq-at 1000=32: the run ended after"), late.err());
    }

    /**
     * pf-*: the fault handler's stand-in maps the page and the access is retried; without it (a
     * handler that maps nothing) the access faults again and again, and the checks say so.
     */
    @Test
    void aFaultThatIsNotHandledFailsTheChecks() {
        EntryScenario s = EntryScenario.prepare("pf-user", BuildOptions.defaults()
                .withKernelTree(KernelTree.open(tree("v6.6.87"))).withFeatures(Set.of("PTI")),
                RunSpec.defaults().withMaxSteps(2000));
        Machine m = s.machine();
        m.model("exc_page_fault", (stub, cpu) -> { });
        EntryScenario.Start start = EntryScenario.Start.of(m.cpu());
        RunOutcome outcome = s.run(m, start);
        List<String> failed = s.check(start, m, outcome).stream().filter(c -> !c.ok()).map(ScenarioCheck::name).toList();
        assertTrue(failed.contains("fault-handled"), failed.toString());
        assertTrue(failed.contains("returned-to-user") || outcome.steps() < 2000, failed.toString());
    }

    /**
     * SYSENTER saves no RFLAGS: the entry's pushfq comes after SWITCH_TO_KERNEL_CR3, whose ALU
     * instructions have changed the status flags, so under PTI the user's status flags are not
     * what it had (the vDSO's __kernel_vsyscall is a function call: callers do not expect them
     * kept); without PTI nothing touches them first. IF, DF and the rest come back either way.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"v4.15", "v6.6.87"})
    void sysenterUnderPtiLosesTheStatusFlagsOnly(String version) {
        for (boolean pti : new boolean[] {true, false}) {
            EntryScenario s = EntryScenario.prepare("compat-sysenter", BuildOptions.defaults()
                    .withKernelTree(KernelTree.open(tree(version))).withFeatures(pti ? Set.of("PTI") : Set.of()),
                    RunSpec.defaults());
            Machine m = s.machine();
            EntryScenario.Start start = EntryScenario.Start.of(m.cpu());
            RunOutcome outcome = s.run(m, start);
            assertEquals(List.of(), s.check(start, m, outcome).stream().filter(c -> !c.ok()).toList());
            long status = 0x8d5;
            assertEquals(!pti, (m.cpu().rflags() & status) == (start.rflags() & status), "pti " + pti);
            assertEquals(start.rflags() & ~status, m.cpu().rflags() & ~status & ~0x10000L);
        }
    }
}
