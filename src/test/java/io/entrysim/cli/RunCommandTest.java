package io.entrysim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code entrysim run} end to end over our own samples: exit status, the JSON shape users script
 * against, the text layout, traces, and error diagnostics. Expected CR3 values are worked out
 * by hand from the sample's macros (kernel PGD 0x1c0a000, kernel PCID 1 by default).
 */
class RunCommandTest {
    record Result(int status, String out, String err) {
        JsonObject json() {
            return JsonParser.parseString(out).getAsJsonObject();
        }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("run"));
        all.addAll(List.of(args));
        int status = Main.execute(all.toArray(new String[0]), new PrintWriter(out), new PrintWriter(err));
        return new Result(status, out.toString(), err.toString());
    }

    static final String MASK = "%gs:cpu_tlbstate+TLB_STATE_user_pcid_flush_mask";

    static List<String> strings(JsonArray a) {
        List<String> out = new ArrayList<>();
        a.forEach(e -> out.add(e.getAsString()));
        return out;
    }

    @Test
    void switchToUserFlushesWhenTheBitIsSet() {
        Result r = run("asm-samples/switch-to-user.S", "--feature", "PTI,PCID", "--json",
                "--mem", MASK + "=0x2:2", "--dump", MASK + ":2");
        assertEquals(0, r.status(), r.err());
        JsonObject j = r.json();
        // PCID 1 -> user PCID 0x801, user PGD +0x1000; bit 1 pending -> written without NOFLUSH
        assertEquals(List.of("0x1c0b801"), strings(j.getAsJsonArray("cr3_writes")));
        assertEquals("0x1c0b801", j.get("cr3").getAsString());
        assertEquals("0000", j.getAsJsonArray("memory").get(0).getAsJsonObject().get("hex").getAsString());
        assertEquals("0xffff88807fc01016", j.getAsJsonArray("memory").get(0).getAsJsonObject().get("addr").getAsString());
        assertEquals("hlt", j.get("stop").getAsString());
        assertEquals("0x0", j.getAsJsonObject("regs").get("rax").getAsString(), "pushq/popq %rax");
    }

    @Test
    void switchToUserKeepsTheTlbWhenNothingIsPending() {
        JsonObject j = run("asm-samples/switch-to-user.S", "--feature", "PTI,PCID", "--json").json();
        assertEquals(List.of("0x8000000001c0b801"), strings(j.getAsJsonArray("cr3_writes")));
        assertEquals("0x1c0b801", j.get("cr3").getAsString(), "bit 63 is not stored");
        JsonObject d = j.getAsJsonArray("cr3_write_details").get(0).getAsJsonObject();
        assertFalse(d.get("flush").getAsBoolean());
        assertTrue(d.get("at").getAsString().startsWith("asm-samples/switch-to-user.S:"));
    }

    @Test
    void switchToUserWithoutPcidAndWithoutPti() {
        assertEquals(List.of("0x1c0b000"),
                strings(run("asm-samples/switch-to-user.S", "--feature", "PTI", "--json").json().getAsJsonArray("cr3_writes")));
        assertEquals(List.of(),
                strings(run("asm-samples/switch-to-user.S", "--json").json().getAsJsonArray("cr3_writes")));
    }

    @Test
    void switchToKernelUsesOnlyTheScratchRegister() {
        JsonObject j = run("asm-samples/switch-to-kernel.S", "--feature", "PTI,PCID", "--set", "cr3=0x1c0b801",
                "--set", "rsp=0x7ffc0000", "--set", "gs_base=0", "--set", "kernel_gs_base=0xffff88807fc00000",
                "--json", "--dump", "%gs:saved_user_rsp").json();
        assertEquals(List.of("0x8000000001c0a001"), strings(j.getAsJsonArray("cr3_writes")));
        assertEquals("0000fc7f00000000", j.getAsJsonArray("memory").get(0).getAsJsonObject().get("hex").getAsString(),
                "the user RSP was saved after swapgs, little-endian");
        assertTrue(j.getAsJsonObject("percpu_allocated").has("saved_user_rsp"));
        assertEquals("0xffff88807fc00000", j.get("gs_base").getAsString(), "swapgs brought in the per-CPU base");
        assertEquals("0x0", j.get("kernel_gs_base").getAsString());
    }

    @Test
    void saveAndRestorePutsBackTheInterruptedCr3() {
        JsonObject j = run("asm-samples/save-restore.S", "--feature", "PTI,PCID", "--set", "cr3=0x1c0b801",
                "--mem", MASK + "=0x2:2", "--json").json();
        // enter: kernel CR3 with NOFLUSH; leave: the user CR3, flushing because bit 1 was pending
        assertEquals(List.of("0x8000000001c0a001", "0x1c0b801"), strings(j.getAsJsonArray("cr3_writes")));
        assertEquals("0x1c0a001", j.getAsJsonObject("regs").get("rcx").getAsString(), "the handler ran on the kernel CR3");
        assertEquals("0x1c0b801", j.get("cr3").getAsString());
    }

    @Test
    void entryLabelAndReturnFromTheEntryFrame() {
        JsonObject j = run("asm-samples/save-restore.S", "--entry", "handler", "--json").json();
        assertEquals("ret", j.get("stop").getAsString());
        assertEquals(2, j.get("steps").getAsLong());
        assertEquals("0x1c0a000", j.getAsJsonObject("regs").get("rcx").getAsString(), "default kernel CR3, PCID off");
        Result bad = run("asm-samples/save-restore.S", "--entry", "nope");
        assertEquals(1, bad.status());
        assertTrue(bad.err().contains("--entry: no symbol `nope'"), bad.err());
    }

    @Test
    void ptiMachineCatchesAPushAfterTheSwitch() {
        Result broken = run("asm-samples/pti-stack.S", "--machine", "pti", "--feature", "PTI", "--entry", "broken", "--json");
        assertEquals(2, broken.status());
        JsonObject f = broken.json().getAsJsonObject("fault");
        assertEquals("#PF", f.get("vector").getAsString());
        assertEquals("0xffffc90000003ff8", f.get("address").getAsString(), "the push's target: top of the kernel stack - 8");
        assertEquals("0x1c0b000", f.get("cr3").getAsString(), "the user CR3 was in force");
        assertEquals("asm-samples/pti-stack.S:25", f.get("at").getAsString());
        Result correct = run("asm-samples/pti-stack.S", "--machine", "pti", "--feature", "PTI", "--entry", "correct", "--json");
        assertEquals(0, correct.status(), correct.err());
        assertEquals("hlt", correct.json().get("stop").getAsString());
    }

    @Test
    void lostFlushIsReportedAndTheConsumingExitIsNot() {
        Result lost = run("asm-samples/lost-flush.S", "--machine", "pti", "--feature", "PTI,PCID",
                "--invalidate", "user-pcid=1", "--exit-to-user", "--json");
        assertEquals(3, lost.status());
        JsonObject v = lost.json().getAsJsonArray("violations").get(0).getAsJsonObject();
        assertEquals("lost-flush", v.get("kind").getAsString());
        assertEquals("asm-samples/lost-flush.S:18", v.get("at").getAsString());
        assertTrue(v.get("message").getAsString().contains("PCID 0x801"), v.toString());
        Result ok = run("asm-samples/switch-to-user.S", "--machine", "pti", "--set", "rsp=entry_stack_top",
                "--feature", "PTI,PCID", "--invalidate", "user-pcid=1", "--exit-to-user", "--json");
        assertEquals(0, ok.status(), ok.err());
        assertEquals(0, ok.json().getAsJsonArray("violations").size());
        assertEquals(List.of("0x1c0b801"), strings(ok.json().getAsJsonArray("cr3_writes")), "the invalidation forced a flush");
    }

    @Test
    void theProgramCanAskForTheInvalidationItself() throws IOException {
        // asid 0 -> kernel PCID 1 -> user PCID 0x801 stale, bit 1 set; the exit then writes NOFLUSH
        Path f = Files.createTempFile("hook", ".S");
        Files.writeString(f, "\t.section .entry.text, \"ax\"\n\txorl %edi, %edi\n\tcall invalidate_user_asid\n"
                + "\tmovq %cr3, %rdi\n\tbts $63, %rdi\n\torq $0x1800, %rdi\n\tmovq %rdi, %cr3\n\thlt\n");
        for (String calls : List.of("return", "clobber")) {
            Result r = run(f.toString(), "--machine", "pti", "--feature", "PTI,PCID", "--exit-to-user",
                    "--stub-calls", calls, "--json", "--dump", "%gs:cpu_tlbstate+22:2");
            assertEquals(3, r.status(), r.err());
            JsonObject v = r.json().getAsJsonArray("violations").get(0).getAsJsonObject();
            assertEquals("lost-flush", v.get("kind").getAsString());
            assertTrue(v.get("message").getAsString().contains("invalidate_user_asid(0)"), v.toString());
            assertEquals("0200", r.json().getAsJsonArray("memory").get(0).getAsJsonObject().get("hex").getAsString(),
                    "bit 1 of the u16 mask");
        }
    }

    @Test
    void stubCallsReturnClobberOrStop() throws IOException {
        Path f = Files.createTempFile("stub", ".S");
        Files.writeString(f, "\tmovq $7, %rdi\n\tcall do_nmi\n\thlt\n");
        JsonObject ret = run(f.toString(), "--json").json();
        assertEquals("hlt", ret.get("stop").getAsString());
        assertEquals("0x7", ret.getAsJsonObject("regs").get("rdi").getAsString());
        assertTrue(ret.getAsJsonObject("stubs").has("do_nmi"));
        JsonObject clobber = run(f.toString(), "--clobber-calls", "--json").json();
        assertEquals("0xdead00000007", clobber.getAsJsonObject("regs").get("rdi").getAsString(), "rdi is register 7");
        Result stop = run(f.toString(), "--stub-calls", "stop", "--json");
        assertEquals(2, stop.status());
        assertEquals("undefined-function", stop.json().get("stop").getAsString());
        assertTrue(stop.err().contains("do_nmi"), stop.err());
    }

    @Test
    void nmiInjectionRunsTheHandlerOnItsIstStack() throws IOException {
        Path f = Files.createTempFile("nmi", ".S");
        Files.writeString(f, "\tnop\n\tnop\n\thlt\nnmi:\n\tmovq %rsp, %rbx\n\tiretq\n");
        Result r = run(f.toString(), "--machine", "pti", "--idt", "2=nmi:2", "--nmi-at", "2", "--json", "--trace");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("NMI"), "with --json the trace goes to stderr: " + r.err());
        JsonObject j = r.json();
        // IST2 = ist_nmi_top; the CPU pushes SS RSP RFLAGS CS RIP: 5 quadwords below the aligned top
        assertEquals(String.format("0x%x", 0xfffffe0000009000L - 40), j.getAsJsonObject("regs").get("rbx").getAsString());
        assertEquals("hlt", j.get("stop").getAsString());
        assertEquals(5, j.get("steps").getAsLong(), "nop, NMI handler (2), iretq back, nop, hlt");
    }

    @Test
    void valuesThatDoNotFitAreErrors() {
        Result mem = run("asm-samples/switch-to-user.S", "--mem", MASK + "=0x1ffff:2");
        assertEquals(1, mem.status());
        assertTrue(mem.err().contains("--mem: 0x1ffff does not fit in 2 bytes"), mem.err());
        Result cs = run("asm-samples/switch-to-user.S", "--set", "cs=0x100000033");
        assertEquals(1, cs.status());
        assertTrue(cs.err().contains("a selector is 16 bits"), cs.err());
    }

    @Test
    void jsonHasEveryDocumentedKey() {
        JsonObject j = run("asm-samples/switch-to-user.S", "--json").json();
        for (String k : List.of("regs", "rflags", "cr3", "cr4", "gs_base", "kernel_gs_base", "cr3_writes", "steps",
                "stop", "fault", "memory")) {
            assertTrue(j.has(k), k);
        }
        for (String reg : List.of("rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8", "r15", "rip")) {
            assertTrue(j.getAsJsonObject("regs").get(reg).getAsString().startsWith("0x"), reg);
        }
        assertTrue(j.get("fault").isJsonNull());
    }

    @Test
    void textOutputLooksLikeGdb() {
        Result r = run("asm-samples/switch-to-user.S", "--feature", "PTI,PCID");
        assertEquals(0, r.status());
        assertTrue(r.out().contains("rax            0x0                 0\n"), r.out());
        // the last writer is orq on a value with bit 63 set (no-flush path): SF=1, ZF=0, PF=0 (low byte 0x01)
        assertTrue(r.out().contains("eflags         0x82                [ SF ]\n"), r.out());
        assertTrue(r.out().contains("cr3            0x1c0b801           [ PDBR=7179 PCID=2049 ]\n"), r.out());
        assertTrue(r.out().contains("<exit_to_user+"), r.out());
        assertTrue(r.out().contains("no-flush"), r.out());
        assertTrue(r.out().contains("stop: hlt"), r.out());
    }

    @Test
    void traceShowsEachInstructionWithItsMacroChain() {
        Result r = run("asm-samples/switch-to-user.S", "--feature", "PTI,PCID", "--trace");
        String line = r.out().lines().filter(l -> l.contains("btr")).findFirst().orElseThrow();
        assertTrue(line.contains("asm-samples/switch-to-user.S:25 (in to_user_cr3 at asm-samples/switch-to-user.S:41)"), line);
        assertTrue(line.contains("mem[0xffff88807fc01016]:8=0x0(same)"), "btr writes back even when the bit was clear: " + line);
        assertTrue(r.out().lines().anyMatch(l -> l.contains("cr3<-0x8000000001c0b801(no-flush)")), r.out());
    }

    @Test
    void faultExitsWithStatusTwoAndNamesTheLine() throws IOException {
        Path f = Files.createTempFile("gp", ".S");
        Files.writeString(f, "\tmovabs $0x8000000000001000, %rax\n\tmov %rax, %cr3\n");
        Result r = run(f.toString(), "--json");
        assertEquals(2, r.status());
        JsonObject fault = r.json().getAsJsonObject("fault");
        assertEquals("#GP", fault.get("vector").getAsString());
        assertTrue(fault.get("at").getAsString().endsWith(":2"));
        assertTrue(r.err().contains(":2:2: error: fault #GP(0)"), r.err());
    }

    @Test
    void strictFlagsReportsReadsOfUndefinedFlags() throws IOException {
        Path f = Files.createTempFile("sf", ".S");
        Files.writeString(f, "\tbt $3, %rax\n\tjo 1f\n1:\thlt\n");
        Result r = run(f.toString(), "--strict-flags", "--json");
        assertEquals(3, r.status(), "a rule was broken");
        JsonArray v = r.json().getAsJsonArray("violations");
        assertEquals(1, v.size());
        assertTrue(v.get(0).getAsJsonObject().get("message").getAsString().contains("reads undefined OF"));
        assertTrue(r.err().contains(":2:2: warning:"), r.err());
        assertEquals(0, run(f.toString(), "--json").json().getAsJsonArray("violations").size(), "off by default");
    }

    @Test
    void unknownFeatureAndBadOptionsAreErrorsNotTraces() {
        Result r = run("asm-samples/switch-to-user.S", "--feature", "PTI,NOPE");
        assertEquals(1, r.status());
        assertTrue(r.err().startsWith("entrysim: error: unknown CPU feature `NOPE'"), r.err());
        Result k = run("asm-samples/switch-to-user.S", "--static-key", "kaiser_enabled_key=2");
        assertEquals(1, k.status());
        assertFalse(k.err().contains("Exception"), k.err());
        Result unused = run("asm-samples/switch-to-user.S", "--static-key", "nobody_tests_me=1");
        assertTrue(unused.err().contains("--static-key nobody_tests_me is never tested by the program"), unused.err());
    }

    /**
     * 5.x and later kernels write {@code CALL_NOSPEC rsi}: the shim takes the bare name as v4.15's
     * {@code %rsi}, and a macro that pastes the bare name after {@code call *} (v4.15's header) is
     * an error at the line, not a silent call to a stub named {@code rsi} that exits 0.
     */
    @Test
    void callNospecWithABareRegisterName(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path shim = dir.resolve("bare.S");
        Files.writeString(shim, "#include <asm/nospec-branch.h>\n\tlea f(%rip), %rsi\n\tCALL_NOSPEC rsi\n"
                + "\tCALL_NOSPEC %rsi\n\thlt\nf:\tinc %rbx\n\tret\n");
        Result ok = run(shim.toString(), "--json");
        assertEquals(0, ok.status(), ok.err());
        JsonObject j = ok.json();
        assertEquals("0x2", j.getAsJsonObject("regs").get("rbx").getAsString(), "both spellings called f");
        assertEquals(0, j.getAsJsonObject("stubs").size(), "no stub named rsi");
        assertEquals("hlt", j.get("stop").getAsString());

        Path own = dir.resolve("v415-style.S");
        Files.writeString(own, ".macro CALL_NOSPEC reg:req\n\tcall *\\reg\n.endm\n\tCALL_NOSPEC rsi\n\thlt\n");
        Result bad = run(own.toString(), "--no-shims");
        assertEquals(1, bad.status(), bad.out());
        assertEquals(own + ":2:8: error: undefined symbol `rsi' is spelled like a register: write `%rsi' for the register"
                + " (entrysim gives no stub to a register name)\n  in expansion of macro CALL_NOSPEC at " + own + ":4\n",
                bad.err());
        assertEquals("", bad.out());
    }

    /** Each {@code cli-errors/X.S} must fail with exit status 1 and exactly the diagnostic in {@code X.err}. */
    @TestFactory
    Stream<DynamicTest> errorDiagnostics() throws IOException {
        Path dir = Path.of("src/test/resources/cli-errors");
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path s : files.filter(p -> p.toString().endsWith(".S")).sorted().toList()) {
                String name = s.getFileName().toString();
                tests.add(DynamicTest.dynamicTest(name, () -> {
                    String expected = Files.readString(dir.resolve(name.replace(".S", ".err")))
                            .replace(name, s.toString()).replace("nested-chain.h", dir.resolve("nested-chain.h").toString());
                    Result r = run(s.toString(), "--max-steps", "100", "--no-stubs");
                    assertEquals(1, r.status(), r.err());
                    assertEquals(expected, r.err());
                    assertFalse(r.err().contains("\tat "), "no stack trace");
                }));
            }
        }
        return tests.stream();
    }
}
