package io.entrysim.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.entrysim.diag.AsmError;
import io.entrysim.session.Build;
import io.entrysim.session.BuildOptions;
import io.entrysim.session.Toolchain;
import io.entrysim.session.UserExpressions;
import io.entrysim.source.SourceFile;
import java.nio.charset.StandardCharsets;

/** Option expressions ({@code --set}, {@code --mem}, {@code --dump}) over a program with cpp macros: a value or an {@link AsmError}. */
class OptionExpressionFuzzTest {
    private static final Build BUILD = Toolchain.build(new SourceFile("opts.S",
            "#define A (B + B)\n#define B 3\n#define SELF SELF+1\n\t.text\nlabel:\tnop\n\thlt\n"), BuildOptions.defaults());

    @FuzzTest(maxDuration = "2m")
    void optionExpressionsNeverCrash(byte[] input) {
        String text = new String(input, StandardCharsets.ISO_8859_1);
        UserExpressions exprs = new UserExpressions(BUILD);
        try {
            exprs.value(text, "--set rax");
        } catch (AsmError expected) {
            // a located error
        }
        try {
            exprs.address(text, "--mem", 0);
        } catch (AsmError expected) {
            // a located error
        }
    }
}
