package io.entrysim.diff;

import io.entrysim.assemble.Program;
import io.entrysim.cpu.AccessKind;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Flags;
import io.entrysim.cpu.Reg;
import io.entrysim.diff.Programs.GenProgram;
import io.entrysim.exec.Executor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.TreeSet;

/**
 * A failing program as a ready-to-run {@code .S}: a comment header with where it came from, the
 * initial state, the differences, and the {@code bin/entrysim run} command line that sets that
 * state up (registers, RFLAGS, and every buffer qword the program reads).
 */
final class Reproducer {
    private Reproducer() {}

    static String render(GenProgram p, String origin, Verdict verdict) {
        StringBuilder h = new StringBuilder("/*\n * entrysim differential test: ").append(verdict.kind()).append('\n');
        h.append(" * ").append(origin).append('\n');
        h.append(" * ").append(p.instructionCount()).append(" instructions (after shrinking)\n *\n");
        h.append(" * Initial state (buffer of ").append(DiffLayout.BUFFER_SIZE).append(" bytes at 0x")
            .append(Long.toHexString(DiffLayout.BUFFER_BASE)).append(", SplitMix64 seed 0x")
            .append(Long.toHexString(p.initial().bufferSeed())).append("):\n");
        StringBuilder cmd = new StringBuilder("bin/entrysim run FILE.S");
        for (int r = 0; r < Reg.COUNT; r++) {
            String v = "0x" + Long.toHexString(p.initial().regs()[r]);
            h.append(" *   ").append(Reg.name64(r)).append(" = ").append(v).append('\n');
            cmd.append(" --set ").append(Reg.name64(r)).append('=').append(v);
        }
        long rflags = p.initial().rflags();
        h.append(" *   rflags = 0x").append(Long.toHexString(rflags)).append(" [").append(Flags.names(rflags)).append("]\n");
        cmd.append(" --set rflags=0x").append(Long.toHexString(rflags));
        ByteBuffer buffer = ByteBuffer.wrap(DiffLayout.initialBuffer(p.initial().bufferSeed())).order(ByteOrder.LITTLE_ENDIAN);
        for (long address : wordsRead(p)) {
            cmd.append(" --mem 0x").append(Long.toHexString(address)).append("=0x")
                .append(Long.toHexString(buffer.getLong((int) (address - DiffLayout.BUFFER_BASE)))).append(":8");
        }
        h.append(" *\n * Host CPU vs entrysim:\n");
        for (String d : verdict.details()) {
            h.append(" *   ").append(d).append('\n');
        }
        h.append(" *\n * Run it (FILE.S = this file):\n *   ").append(cmd).append("\n */\n");
        for (String line : p.lines(".L")) {
            h.append(line.endsWith(":") ? "" : "\t").append(line).append('\n');
        }
        return h.toString();
    }

    /** The 8-byte-aligned buffer words the program reads, found by running it in entrysim. */
    private static TreeSet<Long> wordsRead(GenProgram p) {
        TreeSet<Long> words = new TreeSet<>();
        try {
            String text = BatchSource.programs(List.of(p)) + "program_exit:\n";
            Program program = EntrysimHarness.assemble(text);
            Cpu cpu = new Cpu();
            cpu.setCs(Cpu.USER_CS);
            System.arraycopy(p.initial().regs(), 0, cpu.gprs(), 0, Reg.COUNT);
            cpu.setRflags(p.initial().rflags());
            cpu.memory().writeBytes(DiffLayout.BUFFER_BASE, DiffLayout.initialBuffer(p.initial().bufferSeed()));
            long end = DiffLayout.BUFFER_BASE + DiffLayout.BUFFER_SIZE;
            cpu.memory().setAccessChecker((address, size, kind) -> {
                if (kind == AccessKind.READ) {
                    for (long a = address & ~7L; a < address + size; a += 8) {
                        if (a >= DiffLayout.BUFFER_BASE && a < end) {
                            words.add(a);
                        }
                    }
                }
            });
            new Executor(program, cpu).run(0, 100_000);
        } catch (RuntimeException e) {
            // The header still has the seed; the command line then lacks --mem options.
        }
        return words;
    }
}
