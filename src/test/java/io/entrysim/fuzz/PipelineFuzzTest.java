package io.entrysim.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.entrysim.diag.AsmError;
import io.entrysim.kernel.MachineLayout;
import io.entrysim.session.Build;
import io.entrysim.session.BuildOptions;
import io.entrysim.session.Machine;
import io.entrysim.session.RunSpec;
import io.entrysim.session.Toolchain;
import io.entrysim.source.SourceFile;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Bad input never crashes: any source text goes through cpp, gas macros, the parser, the
 * assembler and a bounded run, and either works or is an {@link AsmError} (a located diagnostic).
 * Anything else thrown — a Java exception entrysim did not mean — fails the test. In {@code mvn
 * verify} this runs the checked-in inputs ({@code src/test/resources/io/entrysim/fuzz/
 * PipelineFuzzTestInputs/}) and, through {@link #everyProjectSourceIsAnInput}, every {@code .S}
 * of the project (samples, golden and error cases); {@code JAZZER_FUZZ=1} fuzzes (README).
 */
class PipelineFuzzTest {
    @TestFactory
    Stream<DynamicTest> everyProjectSourceIsAnInput() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String dir : new String[] {"asm-samples", "src/test/resources/run-golden", "src/test/resources/cli-errors"}) {
            try (Stream<Path> s = Files.list(Path.of(dir))) {
                s.filter(p -> p.toString().endsWith(".S")).sorted().forEach(files::add);
            }
        }
        return files.stream().map(f -> DynamicTest.dynamicTest(f.toString(),
                () -> sourceTextNeverCrashes(Files.readAllBytes(f))));
    }

    static final RunSpec SPEC = RunSpec.defaults().withMaxSteps(2_000);

    @FuzzTest(maxDuration = "5m")
    void sourceTextNeverCrashes(byte[] input) {
        String text = new String(input, StandardCharsets.ISO_8859_1);
        for (BuildOptions options : new BuildOptions[] {
            BuildOptions.defaults(),
            BuildOptions.defaults().withFeatures(Set.of("PTI", "PCID")).withMachine(MachineLayout.pti())}) {
            try {
                Build b = Toolchain.build(new SourceFile("fuzz.S", text), options);
                Machine.create(b, SPEC).run();
            } catch (AsmError expected) {
                // a diagnostic: what bad input gets
            }
        }
    }
}
