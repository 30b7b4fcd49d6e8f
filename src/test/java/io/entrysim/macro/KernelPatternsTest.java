package io.entrysim.macro;

import static io.entrysim.macro.ExpanderTestSupport.lines;
import static io.entrysim.macro.ExpanderTestSupport.texts;
import static io.entrysim.macro.ExpanderTestSupport.where;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.entrysim.diag.AsmError;
import io.entrysim.diag.Site;
import io.entrysim.source.SourceLine;
import io.entrysim.diag.SourcePos;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The idioms kernel entry code uses (written fresh here, in the same shapes): a feature-patched
 * alternative, labels built from {@code \@} shared with a nested call, register-name pasting, a
 * macro invoked from an argument string, static-key jumps, {@code .if \base == %rsp}.
 */
class KernelPatternsTest {
    private static final String HEADER = String.join("\n",
            ".macro PATCHABLE old, new, feature",          // 1
            " .ifcpufeature \\feature",                      // 2
            "  \\new",                                       // 3
            " .else",                                        // 4
            "  \\old",                                       // 5
            " .endif",                                       // 6
            ".endm",                                         // 7
            ".macro MARK_BIT reg:req",                       // 8
            "\tbtsq\t$63, \\reg",                            // 9
            ".endm",                                         // 10
            ".macro FIX_ROOT reg:req",                       // 11
            "\tPATCHABLE \"\", \"MARK_BIT \\reg\", FEAT_TAGS", // 12
            "\tandq $(~0x1fff), \\reg",                      // 13
            ".endm",                                         // 14
            ".macro ENTER_ROOT scratch:req",                 // 15
            "\tPATCHABLE \"jmp .Lskip_\\@\", \"\", FEAT_ISO", // 16
            "\tmov %cr3, \\scratch",                         // 17
            "\tFIX_ROOT \\scratch",                          // 18
            "\tmov \\scratch, %cr3",                         // 19
            ".Lskip_\\@:",                                   // 20
            ".endm",                                         // 21
            ".macro ENTER_ROOT_SAVED scratch:req",           // 22
            "\tpushq %rax",                                  // 23
            "\tENTER_ROOT scratch=\\scratch",                // 24
            "\tpopq %rax",                                   // 25
            ".endm",                                         // 26
            ".set FEAT_ISO, ( 7*32+11)",                     // 27
            ".set FEAT_TAGS, ( 4*32+17)");                   // 28

    private static List<SourceLine> run(Set<Long> features, String body) {
        return ExpanderTestSupport.expander(features, Map.of()).expand(lines(HEADER + "\n" + body));
    }

    @Test
    void featurePatchedPathsAndSharedSkipLabel() {
        List<SourceLine> on = run(Set.of(235L, 145L), "ENTER_ROOT %rdi");
        assertEquals(List.of(".set FEAT_ISO,( 7*32+11)", ".set FEAT_TAGS,( 4*32+17)", "mov %cr3,%rdi",
                "btsq $63,%rdi", "andq $(~0x1fff),%rdi", "mov %rdi,%cr3", ".Lskip_0:"), texts(on));
        List<SourceLine> off = run(Set.of(), "ENTER_ROOT %rdi\nENTER_ROOT %rsi");
        // The jmp built inside the nested PATCHABLE call carries ENTER_ROOT's own number.
        assertEquals(List.of(".set FEAT_ISO,( 7*32+11)", ".set FEAT_TAGS,( 4*32+17)", "jmp .Lskip_0",
                "mov %cr3,%rdi", "andq $(~0x1fff),%rdi", "mov %rdi,%cr3", ".Lskip_0:", "jmp .Lskip_4",
                "mov %cr3,%rsi", "andq $(~0x1fff),%rsi", "mov %rsi,%cr3", ".Lskip_4:"), texts(off));
    }

    @Test
    void originsFollowTheMacroChainInnermostFirst() {
        List<Site> includes = List.of(Site.include("calling.h", new SourcePos("entry.S", 7, 1)));
        List<SourceLine> input = new ArrayList<>(ExpanderTestSupport.lines("calling.h", HEADER, includes));
        input.addAll(ExpanderTestSupport.lines("entry.S", "\n\n\n  ENTER_ROOT_SAVED scratch=%rdi", List.of()));
        List<SourceLine> out = ExpanderTestSupport.expander(Set.of(235L, 145L), Map.of()).expand(input);
        SourceLine mark = out.stream().filter(l -> l.text().startsWith("btsq")).findFirst().orElseThrow();
        assertEquals("calling.h:9:2 <- MARK_BIT@calling.h:3:3 <- PATCHABLE@calling.h:12:2"
                + " <- FIX_ROOT@calling.h:18:2 <- ENTER_ROOT@calling.h:24:2 <- ENTER_ROOT_SAVED@entry.S:4:3",
                where(mark));
        SourceLine push = out.stream().filter(l -> l.text().startsWith("pushq")).findFirst().orElseThrow();
        assertEquals("calling.h:23:2 <- ENTER_ROOT_SAVED@entry.S:4:3", where(push));
        SourceLine set = out.get(0);
        assertEquals("calling.h:27:1 <- include entry.S:7:1", where(set));
    }

    @Test
    void errorsInsideNestedMacrosCarryTheChain() {
        String src = HEADER + "\n.macro BROKEN\n\tMARK_BIT\n.endm\n\tBROKEN";
        try {
            ExpanderTestSupport.expander().expand(lines(src));
            throw new AssertionError("expected an error");
        } catch (AsmError e) {
            assertEquals("t.S:30:2: error: Missing value for required parameter `reg' of macro `mark_bit'\n"
                    + "  in expansion of macro BROKEN at t.S:32", e.format());
        }
    }

    @Test
    void registerPastingAndStackBaseTest() {
        String src = String.join("\n",
                ".macro SAVE_REG n, base=%rsp, offset=0",
                "\tmovq %r\\n, \\offset(\\base)",
                " .if \\base == %rsp",
                "\tsubq $8, %rsp",
                " .endif",
                ".endm",
                "SAVE_REG 12",
                "SAVE_REG 13, %rdi, 8",
                "SAVE_REG n=14 offset=16");
        assertEquals(List.of("movq %r12,0(%rsp)", "subq $8,%rsp", "movq %r13,8(%rdi)", "movq %r14,16(%rsp)",
                "subq $8,%rsp"), texts(ExpanderTestSupport.expander().expand(lines(src))));
    }

    @Test
    void staticKeyJumpWithNumericLabels() {
        String src = String.join("\n",
                ".macro JUMP_UNLESS_KEY target, key, def",
                " .ifstatickey \\key, \\def",
                "1:\t.byte 0x0f,0x1f,0x44,0x00,0",
                " .else",
                "1:\tjmp \\target",
                " .endif",
                "2:",
                ".endm",
                ".macro TRACK_ENTRY",
                "\tJUMP_UNLESS_KEY .Lskip_\\@, ctx_tracking, def=0",
                "\tcall track_entry",
                ".Lskip_\\@:",
                ".endm",
                "TRACK_ENTRY");
        GasMacroExpander defaults = ExpanderTestSupport.expander();
        assertEquals(List.of("1:", "jmp .Lskip_0", "2:", "call track_entry", ".Lskip_0:"),
                texts(defaults.expand(lines(src))));
        assertEquals(Set.of("ctx_tracking"), defaults.staticKeysConsulted());
        GasMacroExpander on = ExpanderTestSupport.expander(Set.of(), Map.of("ctx_tracking", true));
        assertEquals(List.of("1:", ".byte 0x0f,0x1f,0x44,0x00,0", "2:", "call track_entry", ".Lskip_0:"),
                texts(on.expand(lines(src))));
    }

    @Test
    void macroDefinitionsAreExposedWithTheirOrigins() {
        GasMacroExpander ex = ExpanderTestSupport.expander();
        ex.expand(lines(HEADER));
        MacroDef mark = ex.macros().get("mark_bit");
        assertEquals("MARK_BIT", mark.name());
        assertEquals(List.of(new MacroParam("reg", "", MacroParam.Kind.REQUIRED)), mark.params());
        assertEquals(List.of("btsq $63,\\reg"), texts(mark.body()));
        assertEquals("t.S:9:2", mark.body().get(0).origin().pos().toString());
        assertEquals("t.S:8:1", mark.definedAt().pos().toString());
    }
}
