package io.entrysim.debug;

import io.entrysim.assemble.Insn;
import io.entrysim.diag.Site;
import java.util.List;

/**
 * Where an instruction stands relative to a frame the user was in: the innermost frame of the
 * instruction that lies in that frame's expansion or in one of its callers. {@code next} and
 * {@code finish} stop there, showing the instruction at that frame.
 *
 * @param frame the frame of the instruction at the shared level
 * @param left how many levels of the original frame's context were left (0: still in that
 *     expansion, possibly inside a macro it invoked)
 */
record FrameMatch(Frame frame, int left) {

    /** The match of {@code insn} against the expansion context {@code context} (innermost first). */
    static FrameMatch of(Insn insn, List<Site> context) {
        List<Site> chain = insn.origin.macroChain();
        for (int j = 0; j <= context.size(); j++) {
            List<Site> suffix = context.subList(j, context.size());
            if (endsWith(chain, suffix)) {
                return new FrameMatch(Frame.at(insn, chain.size() - suffix.size()), j);
            }
        }
        throw new IllegalStateException("the empty context always matches");
    }

    /** Whether {@code insn} was emitted inside the expansion {@code context} (at any depth). */
    static boolean inside(Insn insn, List<Site> context) {
        return endsWith(insn.origin.macroChain(), context);
    }

    private static boolean endsWith(List<Site> chain, List<Site> suffix) {
        int off = chain.size() - suffix.size();
        if (off < 0) {
            return false;
        }
        for (int i = 0; i < suffix.size(); i++) {
            if (!chain.get(off + i).equals(suffix.get(i))) {
                return false;
            }
        }
        return true;
    }
}
