package io.entrysim.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.diag.AsmError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RUN lines read with entrysim run's own options. */
class RunConfigurationsTest {
    @TempDir
    Path dir;

    List<RunConfiguration> of(String text) {
        return RunConfigurations.of(SpecFile.parse(dir.resolve("t.S"), text));
    }

    @Test
    void optionsBecomeBuildAndRunSpecsAsRunMakesThem() {
        RunConfiguration c = of("# ENTRYSIM-RUN[x]: --feature PTI+PCID --machine pti --set rax=1 --mem 0x1000=2:2 "
                + "--entry go --max-steps 50 --invalidate user-pcid=1 --exit-to-user --idt 2=nmi:2 --nmi-at 3 -DFOO=2\n").get(0);
        assertEquals(Set.of("PTI", "PCID"), c.build().features());
        assertEquals("pti", c.build().machine().name());
        assertEquals("2", c.build().defines().get("FOO"));
        assertEquals(List.of("rax=1"), c.run().sets());
        assertEquals(List.of("0x1000=2:2"), c.run().mems());
        assertEquals("go", c.run().entry());
        assertEquals(50, c.run().maxSteps());
        assertTrue(c.run().exitToUser());
        assertEquals(List.of(3L), c.run().nmiAt());
        assertEquals("x", c.tag());
        assertNull(c.skip());
    }

    @Test
    void noRunLineIsOneRunWithNoOptions() {
        List<RunConfiguration> cs = of("# ENTRYSIM-EXPECT: stop == hlt\n");
        assertEquals(1, cs.size());
        assertEquals(List.of(), cs.get(0).args());
        assertTrue(cs.get(0).name().endsWith("t.S: (no options)"), cs.get(0).name());
    }

    @Test
    void runLinesAddUp() {
        assertEquals(2 + 3, of("# ENTRYSIM-RUN: --feature {PTI,PCID}\n# ENTRYSIM-RUN: --set rax={1,2,3}\n").size());
    }

    @Test
    void unknownOptionsAndBadValuesAreErrorsAtTheRunLine() {
        AsmError e = assertThrows(AsmError.class, () -> of("\n# ENTRYSIM-RUN: --feature PTI --frobnicate\n"));
        assertTrue(e.format().startsWith(dir.resolve("t.S") + ":2:16: error: Unknown option: '--frobnicate'"), e.format());
        AsmError f = assertThrows(AsmError.class, () -> of("# ENTRYSIM-RUN: --feature NOPE\n"));
        assertTrue(f.format().contains(":1:16: error: unknown CPU feature `NOPE'"), f.format());
        AsmError g = assertThrows(AsmError.class, () -> of("# ENTRYSIM-RUN: extra.S\n"));
        assertTrue(g.format().contains("Unmatched argument"), g.format());
    }

    @Test
    void relativePathsAreFromTheSpecFilesDirectory() throws Exception {
        Files.createDirectories(dir.resolve("inc"));
        RunConfiguration c = of("# ENTRYSIM-RUN: -I inc -Iinc --machine flat\n").get(0);
        assertEquals(List.of("-I", dir.resolve("inc").toString(), "-I" + dir.resolve("inc"), "--machine", "flat"), c.args());
        assertNull(c.skip());
    }

    @Test
    void anAbsentIncludeDirectorySkipsTheRunVisibly() {
        RunConfiguration c = of("# ENTRYSIM-RUN: -I ../no-such-corpus\n").get(0);
        assertTrue(c.skip().startsWith("-I ") && c.skip().endsWith("no-such-corpus: no such directory"), c.skip());
        TestResult r = new SpecRunner().run(new TestPoint(c.file().path().toString(), c, List.of(), null, null));
        assertEquals(TestResult.Status.SKIP, r.status());
    }

    @Test
    void aBadOptionValueFoundWhenTheRunIsSetUpNamesItsRunLine() {
        List<TestResult> r = new SpecRunner().run(SpecRunner.points(List.of(Specs.write(dir, "v.S",
                "\n# ENTRYSIM-RUN: --set rax=nosuchsymbol\n\t.text\n\thlt\n"))), 1);
        assertEquals(TestResult.Status.FAIL, r.get(0).status());
        assertEquals(List.of("<--set rax>:1:1: error: unknown symbol `nosuchsymbol' in --set rax nosuchsymbol",
                "  in the options of ENTRYSIM-RUN at " + dir.resolve("v.S") + ":2",
                "reproduce: entrysim run " + dir.resolve("v.S") + " --set rax=nosuchsymbol"), r.get(0).diagnostic());
    }

    @Test
    void theReproducingCommandIsRunsOwn() {
        RunConfiguration c = of("# ENTRYSIM-RUN: --feature PTI+PCID --mem '%gs:x=1' --set 'rax=1 + 2'\n").get(0);
        assertEquals("entrysim run " + dir.resolve("t.S") + " --feature PTI,PCID --mem %gs:x=1 --set 'rax=1 + 2' --nmi-at 3",
                c.reproduce(List.of("--nmi-at", "3")));
    }
}
