package io.entrysim.debug;

import io.entrysim.assemble.Insn;
import io.entrysim.diag.Site;
import io.entrysim.diag.SourcePos;
import java.util.ArrayList;
import java.util.List;

/**
 * One level of macro expansion around an instruction, as a debugger shows it: frame 0 is the
 * line that emitted the instruction (a macro-body line, or plain source), frame k its k-th
 * invocation site outwards, the last frame the line of the {@code .S} file itself.
 *
 * @param level 0 for the innermost frame
 * @param macro the macro whose body holds {@link #line}; null for the outermost (plain source) frame
 * @param line the line this frame is at
 * @param context the macro invocation sites outside this frame, innermost first: two expansions of
 *     one macro differ here, so it names "this expansion" (empty for the outermost frame)
 */
public record Frame(int level, String macro, SourcePos line, List<Site> context) {

    /** The frames of {@code insn}, innermost first; one plain-source frame when it has no macro chain. */
    public static List<Frame> of(Insn insn) {
        List<Site> chain = insn.origin.macroChain();
        List<Frame> frames = new ArrayList<>(chain.size() + 1);
        for (int k = 0; k <= chain.size(); k++) {
            String macro = k < chain.size() ? chain.get(k).name() : null;
            SourcePos line = k == 0 ? insn.origin.pos() : chain.get(k - 1).at();
            frames.add(new Frame(k, macro, line, chain.subList(k, chain.size())));
        }
        return frames;
    }

    /** The frame at {@code level} (clamped to the outermost). */
    public static Frame at(Insn insn, int level) {
        List<Frame> all = of(insn);
        return all.get(Math.min(level, all.size() - 1));
    }

    /** Whether {@code other} is the same line of the same expansion (columns aside). */
    public boolean sameLine(Frame other) {
        return line.line() == other.line.line() && line.file().equals(other.line.file()) && context.equals(other.context);
    }
}
