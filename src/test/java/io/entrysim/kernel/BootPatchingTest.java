package io.entrysim.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.assemble.Insn;
import io.entrysim.cpu.Reg;
import io.entrysim.diag.AsmWarning;
import io.entrysim.session.Build;
import io.entrysim.session.BuildOptions;
import io.entrysim.session.Machine;
import io.entrysim.session.RunSpec;
import io.entrysim.session.Toolchain;
import io.entrysim.source.SourceFile;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Alternatives and static branches patched as the kernel patches itself at boot, from tables
 * written the way each era's headers write them (our own macros, same layouts): which sites
 * change, the fix-ups of displacements that reach out of a moved replacement, the order of two
 * entries for one site, and the source lines patched instructions are attributed to.
 */
class BootPatchingTest {
    /** An ALTERNATIVE in the 4.x style: 13-byte entries with padlen, old code padded with 0x90. */
    static final String ALT_V4 = """
            .macro ALT old, new, feature
            661:
            \t\\old
            662:
            \t.skip -(((665f-664f)-(662b-661b)) > 0) * ((665f-664f)-(662b-661b)),0x90
            663:
            \t.pushsection .altinstructions,"a"
            \t.long 661b - .
            \t.long 664f - .
            \t.word \\feature
            \t.byte 663b-661b
            \t.byte 665f-664f
            \t.byte 663b-662b
            \t.popsection
            \t.pushsection .altinstr_replacement,"ax"
            664:
            \t\\new
            665:
            \t.popsection
            .endm
            """;

    /** The 6.x style: 14-byte entries, a 32-bit ft_flags whose bit 16 means "not". */
    static final String ALT_V6 = ALT_V4.replace("\t.word \\feature", "\t.long \\feature")
            .replace("\t.byte 663b-662b\n", "");

    static final String PTI = "(7*32+11)";
    static final String PCID = "(4*32+17)";

    static Build build(String source, String... features) {
        return build(source, Map.of(), features);
    }

    static Build build(String source, Map<String, Boolean> keys, String... features) {
        return Toolchain.build(new SourceFile("boot.S", source),
                BuildOptions.defaults().withFeatures(Set.of(features)).withStaticKeys(keys));
    }

    static Machine run(Build b) {
        Machine m = Machine.create(b, RunSpec.defaults().withMaxSteps(1000));
        m.run();
        return m;
    }

    static final String PROGRAM = ALT_V4 + """
            \t.text
            start:
            \txorl %%ebx, %%ebx
            \tALT "jmp 1f", "", %s
            \torl $1, %%ebx
            1:\tALT "movq $5, %%rcx", "call func", %s
            \tALT "xorl %%edx, %%edx", "movq var(%%rip), %%rdx", %s
            \thlt
            func:\tmovq $7, %%rcx
            \tret
            \t.data
            var:\t.quad 0x1234
            """.formatted(PTI, PTI, PTI);

    @Test
    void withoutTheFeatureTheAssembledCodeRuns() {
        Build b = build(PROGRAM);
        assertEquals(java.util.List.of(), b.bootPatches());
        Machine m = run(b);
        assertEquals(0, m.cpu().reg(Reg.RBX), "jmp 1f skipped the orl");
        assertEquals(5, m.cpu().reg(Reg.RCX));
        assertEquals(0, m.cpu().reg(Reg.RDX));
    }

    @Test
    void withTheFeatureTheReplacementsRunWithTheirDisplacementsFixedUp() {
        Build b = build(PROGRAM, "PTI");
        assertEquals(3, b.bootPatches().size(), b.bootPatches().toString());
        Machine m = run(b);
        assertEquals(1, m.cpu().reg(Reg.RBX), "the jmp became NOPs");
        assertEquals(7, m.cpu().reg(Reg.RCX), "call func reaches func from the site (rel32 fixed up)");
        assertEquals(0x1234, m.cpu().reg(Reg.RDX), "var(%rip) reaches var from the site");
    }

    @Test
    void patchedInstructionsComeFromTheReplacementsLineAndMacroChain() {
        Build b = build(PROGRAM, "PTI");
        long site = b.program().symbols().get("start") + 2 + 2 + 3;     // xorl, ALT jmp (2), orl (3)
        Insn call = b.program().code()[b.program().indexOf(site)];
        assertTrue(call.text.startsWith("call"), call.text);
        assertEquals(17, call.origin.pos().line(), "the \\new line of the ALT body");
        assertEquals("ALT", call.origin.chain().get(0).name());
        assertEquals(26, call.origin.chain().get(0).at().line(), "the ALT invocation");
        // the padding after the 5-byte call (the old movq is 7 bytes) is the kernel's 2-byte NOP
        Insn pad = b.program().code()[b.program().indexOf(site + 5)];
        assertEquals("xchg   %ax,%ax", pad.text);
    }

    @Test
    void theSecondEntryForOneSiteWinsAsInAlternative2() {
        // two entries for one site, as ALTERNATIVE_2 writes them (replacements of the site's length)
        String src = """
                .macro entry orig, alt, feature, orig_len, alt_len
                \t.long \\orig - .
                \t.long \\alt - .
                \t.word \\feature
                \t.byte \\orig_len, \\alt_len, 0
                .endm
                \t.text
                661:\tmovq $1, %%rax
                662:
                \t.pushsection .altinstructions,"a"
                \tentry 661b, 664f, %s, 662b-661b, 665f-664f
                \tentry 661b, 665f, %s, 662b-661b, 145f-665f
                \t.popsection
                \t.pushsection .altinstr_replacement,"ax"
                664:\tmovq $2, %%rax
                665:\tmovq $3, %%rax
                145:
                \t.popsection
                \thlt
                """.formatted(PTI, PCID);
        assertEquals(2, run(build(src, "PTI")).cpu().reg(Reg.RAX));
        assertEquals(3, run(build(src, "PTI", "PCID")).cpu().reg(Reg.RAX));
        assertEquals(3, run(build(src, "PCID")).cpu().reg(Reg.RAX));
        assertEquals(1, run(build(src)).cpu().reg(Reg.RAX));
    }

    @Test
    void sixXLayoutWithTheNotFlag() {
        String src = ALT_V6 + """
                \t.text
                \tALT "movq $1, %%rax", "movq $2, %%rax", %s
                \tALT "movq $1, %%rbx", "movq $2, %%rbx", (%s | (1 << 16))
                \thlt
                """.formatted(PTI, PTI);
        Machine with = run(build(src, "PTI"));
        assertEquals(2, with.cpu().reg(Reg.RAX));
        assertEquals(1, with.cpu().reg(Reg.RBX), "ALT_NOT(PTI) with PTI: not patched");
        Machine without = run(build(src));
        assertEquals(1, without.cpu().reg(Reg.RAX));
        assertEquals(2, without.cpu().reg(Reg.RBX), "ALT_NOT(PTI) without PTI: patched");
    }

    /** A 4.x static branch: absolute 24-byte entries, the site a 5-byte NOP or jmp. */
    static final String JUMPS_ABSOLUTE = """
            \t.text
            \txorl %ebx, %ebx
            .Lsite_true:
            \t.byte 0x0f, 0x1f, 0x44, 0, 0
            \torl $1, %ebx
            1:
            .Lsite_false:
            \t.byte 0x0f, 0x1f, 0x44, 0, 0
            \torl $2, %ebx
            2:\thlt
            \t.pushsection __jump_table, "aw"
            \t.balign 8
            \t.quad .Lsite_true, 1b, key_a
            \t.quad .Lsite_false, 2b, key_b + 1
            \t.popsection
            \t.data
            key_a:\t.quad 0
            key_b:\t.quad 1
            """;

    /** 5.x on: 16-byte entries relative to each field. */
    static final String JUMPS_RELATIVE = JUMPS_ABSOLUTE
            .replace("\t.quad .Lsite_true, 1b, key_a", "\t.long .Lsite_true - ., 1b - .\n\t.quad key_a - .")
            .replace("\t.quad .Lsite_false, 2b, key_b + 1", "\t.long .Lsite_false - ., 2b - .\n\t.quad key_b + 1 - .");

    @Test
    void staticBranchesFollowTheKeysInBothLayouts() {
        for (String src : new String[] {JUMPS_ABSOLUTE, JUMPS_RELATIVE}) {
            assertEquals(3, run(build(src)).cpu().reg(Reg.RBX), "keys not given: the code as assembled");
            // key_a on: the TRUE branch jumps over orl $1; key_b off: the FALSE (branch bit) site jumps over orl $2
            Build b = build(src, Map.of("key_a", true, "key_b", false));
            assertEquals(2, b.bootPatches().size(), b.bootPatches().toString());
            assertEquals(0, run(b).cpu().reg(Reg.RBX));
            assertEquals(3, run(build(src, Map.of("key_a", false, "key_b", true))).cpu().reg(Reg.RBX));
            assertTrue(b.warnings().stream().noneMatch(w -> w.message().contains("never tested")), b.warnings().toString());
        }
    }

    @Test
    void aTableOfNoKnownLayoutIsAWarningNotAGuess() {
        Build b = build("""
                \t.text
                \tnop
                \thlt
                \t.section .altinstructions,"a"
                \t.byte 1, 2, 3, 4, 5
                """, "PTI");
        assertTrue(b.warnings().stream().map(AsmWarning::message)
                .anyMatch(m -> m.contains(".altinstructions (5 bytes) matches no known struct alt_instr layout")),
                b.warnings().toString());
        assertEquals(java.util.List.of(), b.bootPatches());
    }
}
