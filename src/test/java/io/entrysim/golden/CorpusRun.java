package io.entrysim.golden;

import io.entrysim.session.RunSpec;
import io.entrysim.session.Machine;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.entrysim.cpu.Cpu;
import io.entrysim.session.Build;
import io.entrysim.session.BuildOptions;
import io.entrysim.session.RunOutcome;
import io.entrysim.session.Toolchain;
import io.entrysim.source.SourceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs a snippet against one of the kernel's real {@code calling.h} versions from
 * {@code ../shared/corpus/kernel}, unchanged: the file is reached through a {@code calling.h}
 * symlink in a temporary directory given with {@code -I}, exactly as a user's tree would be.
 * Skips (visibly) when the corpus is absent.
 */
final class CorpusRun {
    static final Path CORPUS = Path.of("../shared/corpus/kernel");
    private static final Map<String, Path> DIRS = new HashMap<>();

    private final BuildOptions options;

    CorpusRun(String callingFile, Set<String> features, Map<String, String> defines, Map<String, Boolean> keys) {
        this.options = new BuildOptions(List.of(callingDir(callingFile)), defines, Set.of(), features, keys, true);
    }

    static Path corpus() {
        assumeTrue(Files.isDirectory(CORPUS), "../shared/corpus/kernel is absent: kernel golden tests skipped");
        return CORPUS;
    }

    static synchronized Path callingDir(String callingFile) {
        Path source = corpus().resolve(callingFile).toAbsolutePath();
        assumeTrue(Files.isRegularFile(source), source + " is absent: skipped");
        return DIRS.computeIfAbsent(callingFile, f -> {
            try {
                Path dir = Files.createTempDirectory("entrysim-" + f);
                Files.createSymbolicLink(dir.resolve("calling.h"), source);
                dir.toFile().deleteOnExit();
                return dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The finished run: machine state and outcome. */
    record Result(Build build, Cpu cpu, RunOutcome outcome) {
        long reg(int r) {
            return cpu.reg(r);
        }

        long mem(long address, int size) {
            return cpu.memory().peek(address, size);
        }
    }

    Build build(String body) {
        String text = "#include \"calling.h\"\n\t.text\n\t.globl t\nt:\n" + body + "\n\thlt\n";
        return Toolchain.build(new SourceFile("snippet.S", text), options);
    }

    Result run(String body, long cr3, Consumer<Cpu> setup) {
        Build build = build(body);
        Machine m = Machine.create(build, RunSpec.defaults().withMaxSteps(10_000), cpu -> {
            cpu.setCr3(cr3);
            setup.accept(cpu);
        });
        return new Result(build, m.cpu(), m.run());
    }
}
