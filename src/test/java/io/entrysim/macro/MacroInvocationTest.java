package io.entrysim.macro;

import static io.entrysim.macro.ExpanderTestSupport.error;
import static io.entrysim.macro.ExpanderTestSupport.expand;
import static io.entrysim.macro.ExpanderTestSupport.expander;
import static io.entrysim.macro.ExpanderTestSupport.lines;
import static io.entrysim.macro.ExpanderTestSupport.prints;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Argument binding and definition rules; expectations checked against GNU as 2.40. */
class MacroInvocationTest {
    private static final String P = ".macro p a b c d e\n .print \"[\\a|\\b|\\c|\\d|\\e]\"\n.endm\n";

    @Test
    void positionalArgumentsSplitAtCommasOrBlanks() {
        assertEquals(List.of("[1|2|3||]", "[1|2|3||]", "[1|2|3||]", "[%rax||%rbx||]"),
                prints(P + "p 1 2 3\np 1,2,3\np 1, 2 ,3\np %rax,,%rbx"));
    }

    @Test
    void quotesAreStrippedAndEmptyQuotesAreAnEmptyArgument() {
        assertEquals(List.of("[x y||z||]", "[a\"b|c|||]", "[x|y|z||]"),
                prints(P + "p \"x y\" \"\" z\np \"a\\\"b\" c\np \"x\"y z"));
    }

    @Test
    void parenthesesKeepBlanksButNotCommas() {
        assertEquals(List.of("[( 7*32+11)|q|||]", "[(1|2)r|||]"), prints(P + "p ( 7*32+11), q\np (1, 2) r"));
    }

    @Test
    void operatorBlanksFollowTheScrubber() {
        assertEquals(List.of("[a+b||||]", "[8|*|2||]", "[a|-|b||]"), prints(P + "p a + b\np 8 * 2\np a - b"));
    }

    @Test
    void keywordArgumentsMayFollowPositionalOnes() {
        assertEquals(List.of("[1||3||]", "[1|4|3||]", "[||4||]", "[x=y||||]"),
                prints(P + "p a=1 c=3\np 1 c=3 b=4\np c = 4\np a=x=y"));
        assertEquals("t.S:4:1: error: can't mix positional and keyword arguments", error(P + "p a=1, 2"));
    }

    @Test
    void repeatedKeywordWarnsAndTheLastValueWins() {
        GasMacroExpander ex = expander();
        ex.expand(lines(P + "p a=1 a=2"));
        assertEquals("[2||||]", ex.warnings().get(1).message());
        assertEquals("t.S:4:1: warning: Value for parameter `a' of macro `p' was already specified",
                ex.warnings().get(0).format());
    }

    @Test
    void gasWordingForBadArguments() {
        assertEquals("t.S:4:1: error: too many positional arguments", error(P + "p 1 2 3 4 5 6"));
        assertEquals("t.S:4:1: error: Parameter named `x' does not exist for macro `p'", error(P + "p x=y"));
        assertEquals("t.S:4:1: error: Missing value for required parameter `reg' of macro `set_noflush_bit'",
                error(".macro SET_NOFLUSH_BIT reg:req\n bts $63, \\reg\n.endm\nSET_NOFLUSH_BIT"));
        assertEquals("t.S:4:1: error: Missing value for required parameter `r' of macro `m'",
                error(".macro m r:req\n.endm\n\nm \"\""));
    }

    @Test
    void defaultsApplyToMissingAndEmptyArguments() {
        String src = ".macro d a=def, b=\"x y\", c:req\n .print \"[\\a|\\b|\\c]\"\n.endm\n"
                + "d ,,1\nd c=2\nd 1 2 3\nd \"\" \"\" 4";
        assertEquals(List.of("[def|x y|1]", "[def|x y|2]", "[1|2|3]", "[def|x y|4]"), prints(src));
    }

    @Test
    void varargTakesTheRestVerbatim() {
        String src = ".macro v a, r:vararg\n .print \"[\\a|\\r]\"\n.endm\nv 1, 2, 3 4  ,5\nv 1 2 3\nv 1";
        assertEquals(List.of("[1|2,3 4,5]", "[1|2 3]", "[1|]"), prints(src));
    }

    @Test
    void namesAreCaseInsensitiveAndRedefinitionIsAnError() {
        assertEquals(List.of("foo", "foo"), prints(".macro Foo\n .print \"foo\"\n.endm\nFOO\nfOo"));
        assertEquals("t.S:3:1: error: Macro `m' was already defined", error(".macro m\n.endm\n.macro M\n.endm"));
        assertEquals(List.of("Foo"), List.copyOf(namesOf(".macro Foo\n.endm")));
    }

    private static List<String> namesOf(String src) {
        GasMacroExpander ex = expander();
        ex.expand(lines(src));
        return ex.macros().values().stream().map(MacroDef::name).toList();
    }

    @Test
    void definitionErrorsUseGasWording() {
        assertEquals("t.S:1:1: error: unexpected end of file in macro `m' definition", error(".macro M\nnop"));
        assertEquals("t.S:1:1: error: Missing macro name", error(".macro\n.endm"));
        assertEquals("t.S:1:1: error: A parameter named `a' already exists for macro `m'",
                error(".macro m a, a\n.endm"));
        assertEquals("t.S:1:1: error: `bogus' is not a valid parameter qualifier for `a' in macro `m'",
                error(".macro m a:bogus\n.endm"));
        assertEquals("t.S:1:1: error: Bad parameter list for macro `m'", error(".macro m a:vararg, b\n.endm"));
        assertEquals("t.S:1:1: error: Bad parameter list for macro `m'", error(".macro m a,\n.endm"));
        assertEquals("t.S:1:1: error: .altmacro is not supported by entrysim", error(".altmacro"));
        assertEquals("t.S:2:1: error: .noaltmacro is not supported by entrysim", error("nop\n.noaltmacro"));
    }

    @Test
    void definitionWarnings() {
        GasMacroExpander ex = expander();
        ex.expand(lines(".macro m a:req=1\n.endm\n.endm\n.endr\n.exitm\n.purgem nothere\n.macro .set\n.endm"));
        assertEquals(List.of(
                "t.S:1:1: warning: Pointless default value for required parameter `a' in macro `m'",
                "t.S:3:1: warning: .endm encountered without preceding .macro",
                "t.S:4:1: warning: .endr encountered without preceding .rept, .irp, or .irpc",
                "t.S:5:1: warning: ignoring macro exit outside a macro definition.",
                "t.S:6:1: warning: Attempt to purge non-existing macro `nothere'",
                "t.S:7:1: warning: attempt to redefine pseudo-op `.set' ignored"),
                ex.warnings().stream().map(Warning::format).toList());
        assertEquals(List.of("m"), List.copyOf(ex.macros().keySet()));
    }

    @Test
    void purgeAllowsRedefinition() {
        assertEquals(List.of("one", "two"),
                prints(".macro m\n.print \"one\"\n.endm\nm\n.purgem M\n.macro m\n.print \"two\"\n.endm\nm"));
    }

    @Test
    void macroNamesMayContainDotsAndDollarsAndShadowInstructions() {
        assertEquals(List.of("d", "dot", "nop!", ".foo"), prints(".macro $m\n.print \"d\"\n.endm\n$m\n"
                + ".macro m.x\n.print \"dot\"\n.endm\nm.x\n.macro nop\n.print \"nop!\"\n.endm\nnop\n"
                + ".macro .foo\n.print \".foo\"\n.endm\n.foo"));
    }

    @Test
    void nestedDefinitionHappensWhenTheOuterMacroRuns() {
        String src = ".macro outer name\n.macro \\name a\n .print \"inner \\a\"\n.endm\n.endm\n"
                + "outer foo\nfoo 1\nouter bar\nbar 2";
        assertEquals(List.of("inner 1", "inner 2"), prints(src));
        assertEquals("t.S:2:1: error: Macro `foo' was already defined", error(
                ".macro outer name\n.macro \\name a\n.endm\n.endm\nouter foo\nouter foo"));
    }

    @Test
    void exitmLeavesTheInnermostExpansion() {
        assertEquals(List.of("a", "c"), prints(".macro m\n.print \"a\"\n.exitm\n.print \"b\"\n.endm\nm\n.print \"c\""));
        assertEquals(List.of("1", "after irp"), prints(
                ".macro m\n.irp x,1,2\n.print \"\\x\"\n.exitm\n.endr\n.print \"after irp\"\n.endm\nm"));
        assertEquals(List.of("after"), prints(".macro m\n.if 1\n.exitm\n.endif\n.endm\nm\n.print \"after\""));
    }

    @Test
    void recursionStopsAtTheNestingLimit() {
        String src = ".macro r n\n .if \\n < 5\n r \"\\n+1\"\n .endif\n .print \"\\n\"\n.endm\nr 0";
        assertEquals(List.of("0+1+1+1+1+1", "0+1+1+1+1", "0+1+1+1", "0+1+1", "0+1", "0"), prints(src));
        assertEquals("t.S:2:1: error: macros nested too deeply", error(".macro r\nr\n.endm\nr"));
    }

    @Test
    void nestingLimitCountsLikeGas() {
        // gas allows max_macro_nest (100) + 1 nested expansions before the fatal error.
        String src = ".macro r n\n.print \"x\"\nr\n.endm\nr";
        GasMacroExpander ex = new GasMacroExpander(new TinyEvaluator(), new ExpanderConfig(java.util.Set.of(),
                java.util.Map.of(), 3));
        try {
            ex.expand(lines(src));
            throw new AssertionError("expected an error");
        } catch (io.entrysim.diag.AsmError e) {
            assertEquals("macros nested too deeply", e.getMessage());
        }
        assertEquals(4, ex.warnings().size());
    }

    @Test
    void bodyKeepsLabelBeforeEndm() {
        assertEquals(List.of("nop", "lbl:"), expand(".macro m\nnop\nlbl: .endm\nm"));
        assertEquals(List.of("x", "y"), expand(".macro k; x; .endm\nk ; y"));
    }
}
