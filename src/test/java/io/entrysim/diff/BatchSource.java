package io.entrysim.diff;

import io.entrysim.diff.Programs.GenProgram;
import java.util.List;

/**
 * The text both sides assemble for a batch: program {@code i} starts at label {@code prog_i}, its
 * local labels are {@code .Lp<i>_<n>}, and it ends with {@code jmp program_exit} (the native
 * trampoline's exit; entrysim gets a label after the last program, where the run ends).
 */
final class BatchSource {
    private BatchSource() {}

    static String programs(List<GenProgram> batch) {
        StringBuilder sb = new StringBuilder(batch.size() * 600);
        for (int i = 0; i < batch.size(); i++) {
            sb.append(entryLabel(i)).append(":\n");
            for (String line : batch.get(i).lines(".Lp" + i + "_")) {
                sb.append(line.endsWith(":") ? "" : "\t").append(line).append('\n');
            }
            sb.append("\tjmp program_exit\n");
        }
        return sb.toString();
    }

    static String entryLabel(int i) {
        return "prog_" + i;
    }

    /** Which program of the batch a 1-based line of {@link #programs} belongs to (for diagnostics). */
    static int programAtLine(String text, int line) {
        String[] lines = text.split("\n", -1);
        int program = -1;
        for (int i = 0; i < Math.min(line, lines.length); i++) {
            if (lines[i].startsWith("prog_")) {
                program = Integer.parseInt(lines[i].substring(5, lines[i].length() - 1));
            }
        }
        return program;
    }
}
