package io.entrysim.diff;

import io.entrysim.cpu.Reg;
import io.entrysim.diff.Programs.FinalState;
import io.entrysim.diff.Programs.GenProgram;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a batch of programs on the host CPU: one generated {@code .s} with every program, linked by
 * gcc with a C driver and an asm trampoline (both built once), executed once per batch. Input and
 * output cross as little-endian u64 files:
 * <pre>
 *   in:  n, then per program: rax..r15 (Reg order), rflags, buffer seed
 *   out: per program: signal (0 = ran), fault address, rax..r15, rflags,
 *        number of changed buffer qwords, then (byte offset, value) for each
 * </pre>
 * The driver maps the buffer with MAP_FIXED_NOREPLACE at {@link DiffLayout#BUFFER_BASE}, fills it
 * from the seed, and catches faults on an alternate stack (a fault is reported, not fatal).
 */
final class NativeHarness {
    private final Path dir;
    private int batches;

    NativeHarness(Path dir) throws IOException, InterruptedException {
        this.dir = dir;
        Files.writeString(dir.resolve("driver.c"), NativeSources.DRIVER_C);
        Files.writeString(dir.resolve("trampoline.s"), NativeSources.TRAMPOLINE_S);
        exec(List.of("gcc", "-O1", "-c", "-o", "driver.o", "driver.c"));
        exec(List.of("as", "--64", "-o", "trampoline.o", "trampoline.s"));
    }

    static boolean toolsAvailable() {
        return onPath("as") && onPath("gcc");
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Runs every program of {@code batch} natively. */
    List<FinalState> run(List<GenProgram> batch) throws IOException, InterruptedException {
        String name = "batch" + (batches++);
        StringBuilder s = new StringBuilder("\t.text\n");
        s.append(BatchSource.programs(batch));
        s.append("\t.data\n\t.balign 8\n\t.globl prog_table, prog_count\nprog_count:\t.quad ").append(batch.size()).append('\n');
        s.append("prog_table:\n");
        for (int i = 0; i < batch.size(); i++) {
            s.append("\t.quad ").append(BatchSource.entryLabel(i)).append('\n');
        }
        s.append("\t.section .note.GNU-stack,\"\",@progbits\n");
        Files.writeString(dir.resolve(name + ".s"), s.toString(), StandardCharsets.ISO_8859_1);
        writeInput(dir.resolve(name + ".in"), batch);
        exec(List.of("as", "--64", "-o", name + ".o", name + ".s"));
        exec(List.of("gcc", "-no-pie", "-o", name, "driver.o", "trampoline.o", name + ".o"));
        exec(List.of("./" + name, name + ".in", name + ".out"));
        List<FinalState> out = readOutput(dir.resolve(name + ".out"), batch);
        for (String ext : new String[] {".s", ".o", ".in", ".out", ""}) {
            Files.deleteIfExists(dir.resolve(name + ext));
        }
        return out;
    }

    private static void writeInput(Path file, List<GenProgram> batch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + batch.size() * 18 * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(batch.size());
        for (GenProgram p : batch) {
            for (long r : p.initial().regs()) {
                b.putLong(r);
            }
            b.putLong(p.initial().rflags());
            b.putLong(p.initial().bufferSeed());
        }
        Files.write(file, b.array());
    }

    private static List<FinalState> readOutput(Path file, List<GenProgram> batch) throws IOException {
        ByteBuffer b;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            b = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()).order(ByteOrder.LITTLE_ENDIAN);
        }
        List<FinalState> out = new ArrayList<>(batch.size());
        for (GenProgram p : batch) {
            long signal = b.getLong();
            long faultAddress = b.getLong();
            long[] regs = new long[Reg.COUNT];
            for (int r = 0; r < regs.length; r++) {
                regs[r] = b.getLong();
            }
            long rflags = b.getLong();
            byte[] buffer = DiffLayout.initialBuffer(p.initial().bufferSeed());
            long changed = b.getLong();
            ByteBuffer view = ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN);
            for (long k = 0; k < changed; k++) {
                int offset = (int) b.getLong();
                view.putLong(offset, b.getLong());
            }
            String problem = signal == 0 ? null
                : "native run got signal " + signal + " (" + signalName((int) signal) + ") at address 0x" + Long.toHexString(faultAddress);
            out.add(new FinalState(regs, rflags, buffer, 0, problem));
        }
        return out;
    }

    private static String signalName(int sig) {
        return switch (sig) {
            case 4 -> "SIGILL";
            case 5 -> "SIGTRAP";
            case 7 -> "SIGBUS";
            case 8 -> "SIGFPE";
            case 11 -> "SIGSEGV";
            default -> "signal";
        };
    }

    private void exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(600, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " timed out");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "):\n"
                + new String(output, StandardCharsets.UTF_8));
        }
    }
}
