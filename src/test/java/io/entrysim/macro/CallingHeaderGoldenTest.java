package io.entrysim.macro;

import static io.entrysim.macro.ExpanderTestSupport.texts;
import static io.entrysim.macro.ExpanderTestSupport.where;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.entrysim.source.SourceLine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Expands the real v4.15 calling.h CR3-switching macros (read at run time, never copied). The
 * expected statements are what GNU as 2.40 lists ({@code as -alm}) for the same text with
 * {@code .ifcpufeature} replaced by an equivalent {@code .if}.
 */
class CallingHeaderGoldenTest {
    private static final Path HEADER = Path.of("../shared/corpus/kernel/calling-v4.15.h");
    private static final String HEADER_NAME = "calling-v4.15.h";
    private static final String STUBS = String.join("\n",
            ".macro ALTERNATIVE oldinstr newinstr feature",
            ".ifcpufeature \\feature",
            "\\newinstr",
            ".else",
            "\\oldinstr",
            ".endif",
            ".endm",
            ".set X86_FEATURE_PTI, 7*32+11",
            ".set X86_FEATURE_PCID, 4*32+17");

    @Test
    void switchToUserCr3WithPtiAndPcid() throws IOException {
        List<SourceLine> out = expand(Set.of(235L, 145L));
        assertEquals(List.of(
                "pushq %rax",
                "mov %cr3,%rdi",
                "movq %rdi,%rax",
                "andq $(0x7FF),%rdi",
                "bt %rdi,THIS_CPU_user_pcid_flush_mask",
                "jnc .Lnoflush_1",
                "btr %rdi,THIS_CPU_user_pcid_flush_mask",
                "movq %rax,%rdi",
                "jmp .Lwrcr3_pcid_1",
                ".Lnoflush_1:",
                "movq %rax,%rdi",
                "bts $X86_CR3_PCID_NOFLUSH_BIT,%rdi",
                ".Lwrcr3_pcid_1:",
                "orq $(PTI_USER_PCID_MASK),%rdi",
                ".Lwrcr3_1:",
                "orq $(PTI_USER_PGTABLE_MASK),%rdi",
                "mov %rdi,%cr3",
                ".Lend_1:",
                "popq %rax"), texts(out));
        SourceLine bts = out.get(11);
        assertEquals(HEADER_NAME + ":208:2 <- SET_NOFLUSH_BIT@" + HEADER_NAME + ":249:2"
                + " <- SWITCH_TO_USER_CR3_NOSTACK@" + HEADER_NAME + ":264:2 <- SWITCH_TO_USER_CR3_STACK@x.S:5:1",
                where(bts));
        assertEquals(HEADER_NAME + ":263:2 <- SWITCH_TO_USER_CR3_STACK@x.S:5:1", where(out.get(0)));
    }

    @Test
    void switchToUserCr3WithoutPti() throws IOException {
        List<SourceLine> out = expand(Set.of(145L));
        assertEquals(List.of("pushq %rax", "jmp .Lend_1", "mov %cr3,%rdi"), texts(out).subList(0, 3));
        assertEquals(20, out.size());
        assertEquals("stubs.S:5:1 <- ALTERNATIVE@" + HEADER_NAME + ":229:2 <- SWITCH_TO_USER_CR3_NOSTACK@"
                + HEADER_NAME + ":264:2 <- SWITCH_TO_USER_CR3_STACK@x.S:5:1", where(out.get(1)));
    }

    private static List<SourceLine> expand(Set<Long> features) throws IOException {
        Assumptions.assumeTrue(Files.exists(HEADER), HEADER + " absent: skipped");
        List<SourceLine> input = new ArrayList<>(ExpanderTestSupport.lines("stubs.S", STUBS, List.of()));
        input.addAll(ExpanderTestSupport.lines(HEADER_NAME, crudePreprocess(Files.readString(HEADER)), List.of()));
        input.addAll(ExpanderTestSupport.lines("x.S", "\n\n\n\nSWITCH_TO_USER_CR3_STACK %rdi", List.of()));
        List<SourceLine> out = ExpanderTestSupport.expander(features, Map.of()).expand(input);
        return out.stream().filter(l -> !l.text().startsWith(".set ")).toList();
    }

    /**
     * Just enough cpp for this header, keeping line numbers: C comments blanked, every
     * {@code #if*} taken as true (so {@code #else} parts go), directives and their continuation
     * lines blanked.
     */
    static String crudePreprocess(String text) {
        Matcher comments = Pattern.compile("/\\*.*?\\*/", Pattern.DOTALL).matcher(text);
        StringBuilder noComments = new StringBuilder();
        while (comments.find()) {
            comments.appendReplacement(noComments, "\n".repeat((int) comments.group().chars().filter(c -> c == '\n').count()));
        }
        comments.appendTail(noComments);
        Deque<Boolean> keep = new ArrayDeque<>();
        StringBuilder out = new StringBuilder();
        boolean continuation = false;
        for (String line : noComments.toString().split("\n", -1)) {
            String directive = line.strip();
            if (continuation || directive.startsWith("#")) {
                continuation = line.endsWith("\\");
                if (directive.startsWith("#if")) {
                    keep.push(true);
                } else if (directive.startsWith("#el")) {
                    keep.pop();
                    keep.push(false);
                } else if (directive.startsWith("#endif")) {
                    keep.pop();
                }
                out.append('\n');
            } else {
                out.append(keep.contains(false) ? "" : line).append('\n');
            }
        }
        return out.substring(0, out.length() - 1);
    }
}
