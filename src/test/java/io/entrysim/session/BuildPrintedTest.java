package io.entrysim.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.entrysim.diag.AsmWarning;
import io.entrysim.source.SourceFile;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code .print} text is what gas writes to standard output as is, not a warning. */
class BuildPrintedTest {
    @Test
    void printTextIsKeptApartFromWarnings() {
        String src = ".print \"hello, world\"\n.macro m a\n.print \"<\\a>\\t\\x41\"\n.endm\nm 1\n"
                + ".warning \"careful\"\nhlt\n";
        Build b = Toolchain.build(new SourceFile("t.S", src), BuildOptions.defaults());
        assertEquals(List.of("hello, world", "<1>\tA"), b.printed());
        assertEquals(List.of("t.S:6:1: warning: careful"), b.warnings().stream().map(AsmWarning::format).toList());
    }
}
