package io.entrysim.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.assemble.Insn;
import io.entrysim.assemble.Op;
import io.entrysim.cpu.Reg;
import io.entrysim.diag.Origin;
import io.entrysim.diag.Site;
import io.entrysim.exec.StepEvent;
import io.entrysim.exec.StepListener;
import io.entrysim.kernel.ShimMode;
import io.entrysim.session.Build;
import io.entrysim.session.BuildOptions;
import io.entrysim.session.Machine;
import io.entrysim.session.RunOutcome;
import io.entrysim.session.Toolchain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The kernel's own patching gives the runs the shims give: the v4.15 entry code assembled with
 * the tree's real {@code asm/alternative-asm.h} (shims only as a fallback, so its
 * {@code .altinstructions} is emitted and then applied as {@code apply_alternatives()} does) runs
 * every golden scenario exactly as the shim build, where ALTERNATIVE is decided at assembly time:
 * the same instructions in the same order (by source line and macro chain, leaving out the NOPs
 * the kernel pads patched sites with), the same CR3 writes, the same final state.
 */
class EntryV415BootPatchingTest {
    /** v4.15's real alternative-asm.h (a method: the test skips, rather than errs, without the corpus). */
    static Path realAlternative() {
        return CorpusRun.corpus().resolve("trees/v4.15/arch/x86/include/asm/alternative-asm.h").toAbsolutePath();
    }
    private static final Map<Set<String>, Build> REAL = new ConcurrentHashMap<>();

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "syscall-pti-pcid, user_syscall, PTI PCID, ''",
        "syscall-pti, user_syscall, PTI, ''",
        "syscall-nopti, user_syscall, '', ''",
        "irq-pti-pcid, user_work, PTI PCID, irq:3",
        "irq-nopti, user_work, '', irq:3",
        "nmi-user-pti-pcid, user_syscall, PTI PCID, nmi:1",
        "nmi-exit-window-pti-pcid, user_syscall, PTI PCID, nmi:74",
        "nmi-exit-pti, user_syscall, PTI, nmi:66",
    })
    void patchedAtBootRunsAsTheShimsDecideAtAssemblyTime(String name, String entry, String features, String event) {
        String[] f = features.isBlank() ? new String[0] : features.split(" ");
        Build shim = EntryV415.build(f);
        Build real = realBuild(f);
        assertTrue(shim.program().sections().stream().noneMatch(s -> s.name().equals(".altinstructions")),
                "the shim build decides at assembly time");
        assertEquals(f.length > 0, !real.bootPatches().isEmpty(), "PTI patches sites; without it, nothing is patched");

        Run expected = run(shim, entry, event, -1);
        long nmiStep = -1;
        if (event.startsWith("nmi:")) {
            // the same instruction boundary in the patched build: count only what both builds run
            int ordinal = expected.ordinalBefore(Long.parseLong(event.substring(4)));
            nmiStep = run(real, entry, "", -1).stepOfOrdinal(ordinal);
        }
        Run actual = run(real, entry, event, nmiStep);

        assertEquals(expected.executed.size(), actual.executed.size(), name + ": " + firstDifference(expected, actual));
        assertEquals(expected.executed, actual.executed, name + ": instructions run (by source line and macro chain)");
        assertEquals(expected.outcome.stop(), actual.outcome.stop(), name + ": stop");
        assertEquals(expected.outcome.cr3Writes().stream().map(w -> w.write()).toList(),
                actual.outcome.cr3Writes().stream().map(w -> w.write()).toList(), name + ": CR3 writes");
        assertEquals(expected.outcome.violations(), actual.outcome.violations(), name + ": violations");
        assertEquals(expected.finalState, actual.finalState, name + ": final state");
    }

    static String firstDifference(Run a, Run b) {
        for (int k = 0; k < Math.min(a.executed.size(), b.executed.size()); k++) {
            if (!a.executed.get(k).equals(b.executed.get(k))) {
                return "first difference at #" + k + ": shim " + a.executed.get(k) + " / patched " + b.executed.get(k);
            }
        }
        return "one run is a prefix of the other";
    }

    /** The v4.15 entry build with the tree's real alternative-asm.h in front of the shims. */
    static Build realBuild(String... features) {
        return REAL.computeIfAbsent(new TreeSet<>(List.of(features)),
                f -> realBuild(f, EntryV415.DEFINES, Map.of(), List.of()));
    }

    /**
     * The v4.15 entry build with the tree's real headers {@code real} (path in the build ->
     * corpus file, alternative-asm.h always) in front of the shims.
     */
    static Build realBuild(Set<String> features, Map<String, String> defines, Map<String, Boolean> keys,
                           List<Map.Entry<String, Path>> real) {
        Assumptions.assumeTrue(Files.isRegularFile(realAlternative()), realAlternative() + " is absent: skipped");
        Path d = EntryV415.sourceDir();
        List<Map.Entry<String, Path>> headers = new ArrayList<>(real);
        headers.add(Map.entry("asm/alternative-asm.h", realAlternative()));
        try {
            Path tree = Files.createTempDirectory("entrysim-real-headers");
            tree.toFile().deleteOnExit();
            for (Map.Entry<String, Path> h : headers) {
                Assumptions.assumeTrue(Files.isRegularFile(h.getValue()), h.getValue() + " is absent: skipped");
                Path link = tree.resolve(h.getKey());
                Files.createDirectories(link.getParent());
                Files.createSymbolicLink(link, h.getValue());
                link.toFile().deleteOnExit();
                link.getParent().toFile().deleteOnExit();
            }
            return Toolchain.build(d.resolve("entry-test.S"), new BuildOptions(List.of(d, tree), defines,
                    Set.of(), features, keys, ShimMode.FALLBACK, true, EntryV415.machine()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Static keys too: with CONFIG_CONTEXT_TRACKING, the IRQ path's CALL_enter_from_user_mode is
     * a STATIC_JUMP_IF_FALSE on {@code context_tracking_enabled}; the tree's real jump_label.h
     * emits it into __jump_table (patched by --static-key), the shims decide it at assembly time.
     */
    @ParameterizedTest(name = "context_tracking_enabled={0}")
    @CsvSource({"''", "0", "1"})
    void staticBranchesPatchedAtBootRunAsTheShimsDecide(String key) {
        Map<String, Boolean> keys = key.isBlank() ? Map.of() : Map.of("context_tracking_enabled", key.equals("1"));
        Map<String, String> defines = new java.util.HashMap<>(EntryV415.DEFINES);
        defines.put("CONFIG_CONTEXT_TRACKING", "1");
        Map<String, String> shimDefines = new java.util.HashMap<>(defines);
        shimDefines.put("HAVE_JUMP_LABEL", "1");       // what the tree's linux/jump_label.h derives
        Map<String, String> realDefines = new java.util.HashMap<>(defines);
        realDefines.put("CONFIG_JUMP_LABEL", "1");
        realDefines.put("CC_HAVE_ASM_GOTO", "1");        // Kbuild's, when gcc has asm goto
        Set<String> features = Set.of("PTI", "PCID");
        Path corpus = CorpusRun.corpus().toAbsolutePath();
        Build shim = Toolchain.build(EntryV415.sourceDir().resolve("entry-test.S"), new BuildOptions(
                List.of(EntryV415.sourceDir()), shimDefines, Set.of(), features, keys, ShimMode.FIRST, true,
                EntryV415.machine()));
        Build real = realBuild(features, realDefines, keys, List.of(
                Map.entry("asm/jump_label.h", corpus.resolve("jump_label-v4.15.h")),
                Map.entry("linux/jump_label.h", corpus.resolve("trees/v4.15/include/linux/jump_label.h")),
                Map.entry("asm/nops.h", corpus.resolve("trees/v4.15/arch/x86/include/asm/nops.h"))));
        assertTrue(real.program().sections().stream().anyMatch(s -> s.name().equals("__jump_table")),
                "the real jump_label.h emits its table");
        assertEquals(!key.isBlank(), real.bootPatches().stream().anyMatch(p -> p.contains("context_tracking_enabled")),
                real.bootPatches().toString());

        Run expected = run(shim, "user_work", "irq:3", -1);
        Run actual = run(real, "user_work", "irq:3", -1);
        assertEquals(expected.executed.size(), actual.executed.size(), firstDifference(expected, actual));
        assertEquals(expected.executed, actual.executed);
        assertEquals(expected.finalState, actual.finalState);
        boolean called = expected.executed.stream().anyMatch(x -> x.contains("CALL_enter_from_user_mode")
                && x.startsWith(EntryV415.sourceDir() + "/calling.h:" + 348));
        assertEquals(key.equals("1"), called, "enter_from_user_mode is called only with context tracking on");
    }

    /** One run: what ran (NOPs left out), how it ended. */
    record Run(List<String> executed, List<Long> stepOf, RunOutcome outcome, List<Long> finalState) {
        /** How many non-NOP instructions ran before step {@code step}. */
        int ordinalBefore(long step) {
            int n = 0;
            while (n < stepOf.size() && stepOf.get(n) < step) {
                n++;
            }
            return n;
        }

        /** The step at which the {@code ordinal}-th non-NOP instruction ran (0-based). */
        long stepOfOrdinal(int ordinal) {
            return stepOf.get(ordinal);
        }
    }

    static Run run(Build b, String entry, String event, long nmiStep) {
        Machine m = EntryV415.userMachine(b, entry, cpu -> {
            if (event.startsWith("irq:")) {
                cpu.events().requestInterrupt(0x20);
            }
        });
        if (event.startsWith("nmi:")) {
            m.injectNmiAt(nmiStep >= 0 ? nmiStep : Long.parseLong(event.substring(4)));
        }
        List<String> executed = new ArrayList<>();
        List<Long> stepOf = new ArrayList<>();
        m.setTracer(new StepListener() {
            @Override
            public void onStep(StepEvent e) {
                if (!isNop(e.insn())) {
                    executed.add(identity(e.insn()));
                    stepOf.add(e.step());
                }
            }
        });
        RunOutcome outcome = m.run();
        List<Long> state = new ArrayList<>();
        for (int r = 0; r < Reg.COUNT; r++) {
            state.add(m.cpu().reg(r));
        }
        state.add(m.cpu().rflags());
        state.add(m.cpu().cr3());
        state.add(m.cpu().gsBase());
        state.add(m.cpu().kernelGsBase());
        return new Run(executed, stepOf, outcome, state);
    }

    /** A NOP, or {@code xchg %ax,%ax} (66 90: the SDM's 2-byte NOP, which the kernel pads with). */
    static boolean isNop(Insn insn) {
        return insn.op == Op.NOP || insn.op == Op.XCHG && insn.size == 2 && insn.operands[0].equals(insn.operands[1]);
    }

    /** The headers where shim and real differ: how a choice is made, not what is chosen. */
    static boolean patchingHeader(String file) {
        return file.endsWith("alternative-asm.h") || file.endsWith("jump_label.h");
    }

    /** Source line and macro chain, minus the frames inside the patching headers (shim and real differ there only). */
    static String identity(Insn insn) {
        Origin o = insn.origin;
        List<String> frames = new ArrayList<>();
        if (o != null && !patchingHeader(o.pos().file())) {
            frames.add(o.pos().file() + ":" + o.pos().line());
        }
        if (o != null) {
            for (Site s : o.chain()) {
                if (!patchingHeader(s.at().file())) {
                    frames.add(s.name() + "@" + s.at().file() + ":" + s.at().line());
                }
            }
        }
        return frames.stream().collect(Collectors.joining(" < "));
    }
}
