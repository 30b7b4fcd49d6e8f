package io.entrysim.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.entrysim.diag.AsmError;
import io.entrysim.source.SourceFile;
import org.junit.jupiter.api.Test;

/**
 * A word that is no directive, macro or x86 instruction is gas's "no such instruction" (as 2.40's
 * words), with why it is no macro when that is known; an x86 instruction entrysim lacks says so.
 */
class UnknownMnemonicTest {
    private static String error(String src) {
        AsmError e = assertThrows(AsmError.class,
                () -> Toolchain.build(new SourceFile("t.S", src), BuildOptions.defaults()));
        return e.format().lines().findFirst().orElseThrow();
    }

    @Test
    void noSuchInstructionAsGasSaysIt() {
        assertEquals("t.S:1:1: error: no such instruction: `annotate_noendbr'", error("annotate_noendbr\nhlt\n"));
        assertEquals("t.S:1:1: error: no such instruction: `frob %rax,1'", error("frob %rax, 1\nhlt\n"));
        assertEquals("t.S:1:1: error: no such instruction: `frob (%rax'", error("frob (%rax\nhlt\n"));
    }

    @Test
    void x86InstructionsEntrysimLacks() {
        assertEquals("t.S:1:1: error: entrysim does not model `cpuid'", error("cpuid\nhlt\n"));
        assertEquals("t.S:1:1: error: entrysim does not model `vmovdqu'", error("vmovdqu (%rax), %ymm0\nhlt\n"));
    }

    @Test
    void saysWhyTheWordIsNoMacro() {
        assertEquals("t.S:5:1: error: no such instruction: `annotate_noendbr' (`.macro annotate_noendbr' at t.S:2"
                        + " was skipped: it is inside a conditional that was false)",
                error(".if 0\n.macro annotate_noendbr\n.endm\n.endif\nannotate_noendbr\nhlt\n"));
        assertEquals("t.S:5:1: error: no such instruction: `m' (macro `m' was purged at t.S:4)",
                error(".macro m\n.endm\nm\n.purgem m\nm\nhlt\n"));
        assertEquals("t.S:1:1: error: no such instruction: `m 1' (macro `m' is only defined later, at t.S:2)",
                error("m 1\n.macro m a\n.endm\nhlt\n"));
    }
}
