package io.entrysim.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.diag.AsmError;
import io.entrysim.diag.Origin;
import io.entrysim.diag.SourcePos;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RUN lines to run matrices: shell words, braces, the feature {@code +}. */
class BraceExpansionTest {
    static final Origin AT = Origin.at(new SourcePos("t.S", 1, 1));

    static List<String> lines(String runLine) {
        return BraceExpansion.expand(ShellWords.split(runLine, AT), AT).stream()
                .map(row -> String.join(" ", RunConfigurations.featuresJoined(row.stream().map(ShellWords::unquote).toList())))
                .toList();
    }

    @Test
    void theIssuesExampleIsSixRunsFirstWordSlowest() {
        assertEquals(List.of(
                "--feature  --set cr3=0x1c0a000",
                "--feature  --set cr3=0x1c0a001",
                "--feature PTI --set cr3=0x1c0a000",
                "--feature PTI --set cr3=0x1c0a001",
                "--feature PTI,PCID --set cr3=0x1c0a000",
                "--feature PTI,PCID --set cr3=0x1c0a001"),
                lines("--feature {,PTI,PTI+PCID} --set cr3={0x1c0a000,0x1c0a001}"));
    }

    @Test
    void bracesNestAndCombineWithinAWord() {
        assertEquals(List.of("a1", "a2x", "a2y", "b"), BraceExpansion.word("{a{1,2{x,y}},b}", AT));
        assertEquals(List.of("--set=rax=1", "--set=rbx=1"), BraceExpansion.word("--set={rax,rbx}=1", AT));
        assertEquals(List.of("x1y", "x2y", "x1z", "x2z").size(), BraceExpansion.word("x{1,2}{y,z}", AT).size());
    }

    @Test
    void bracesWithoutACommaAndQuotedBracesAreText() {
        assertEquals(List.of("{}"), BraceExpansion.word("{}", AT));
        assertEquals(List.of("{x}"), BraceExpansion.word("{x}", AT));
        assertEquals(List.of("--mem %gs:x={0,1}"), lines("--mem '%gs:x={0,1}'"));
        assertEquals(List.of("--mem %gs:x=0", "--mem %gs:x=1"), lines("--mem %gs:x={0,1}"));
    }

    @Test
    void plusJoinsFeaturesOnlyInFeatureValues() {
        assertEquals(List.of("--feature=PTI,PCID --set rax=1+2"), lines("--feature=PTI+PCID --set rax=1+2"));
        assertEquals(List.of("--mem %gs:a+b=1"), lines("--mem %gs:a+b=1"));
    }

    @Test
    void shellQuotingAsAShellDoesIt() {
        assertEquals(List.of("a b", "c\"d", "e f"), ShellWords.split("'a b' \"c\\\"d\" e' 'f", AT).stream()
                .map(ShellWords::unquote).toList());
        AsmError e = assertThrows(AsmError.class, () -> ShellWords.split("--set 'rax=1", AT));
        assertTrue(e.getMessage().contains("unterminated ' quote"), e.getMessage());
        assertEquals("'a b'", ShellWords.quote("a b"));
        assertEquals("''", ShellWords.quote(""));
        assertEquals("%gs:cpu_tlbstate+TLB_STATE_user_pcid_flush_mask=0x2:2",
                ShellWords.quote("%gs:cpu_tlbstate+TLB_STATE_user_pcid_flush_mask=0x2:2"));
    }

    @Test
    void unbalancedAndRunawayMatricesAreErrors() {
        assertThrows(AsmError.class, () -> BraceExpansion.word("{a,b", AT));
        String huge = "{0,1,2,3,4,5,6,7,8,9}".repeat(6);
        AsmError e = assertThrows(AsmError.class, () -> BraceExpansion.expand(List.of("--set", "rax=" + huge), AT));
        assertTrue(e.getMessage().contains("more than 100000 run configurations"), e.getMessage());
        AsmError words = assertThrows(AsmError.class, () -> BraceExpansion.expand(
                List.of("{0,1,2,3,4,5,6,7,8,9}{0,1,2,3,4,5,6,7,8,9}{0,1,2,3,4,5,6,7,8,9}",
                        "{0,1,2,3,4,5,6,7,8,9}{0,1,2,3,4,5,6,7,8,9}{0,1,2,3,4,5,6,7,8,9}"), AT));
        assertTrue(words.getMessage().contains("more than 100000"), words.getMessage());
    }
}
