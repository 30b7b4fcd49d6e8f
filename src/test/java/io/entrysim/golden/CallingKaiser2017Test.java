package io.entrysim.golden;

import static io.entrysim.golden.CallingV415Test.GS;
import static io.entrysim.golden.CallingV415Test.K;
import static io.entrysim.golden.CallingV415Test.NOFLUSH;
import static io.entrysim.golden.CallingV415Test.assertWrites;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.cpu.Reg;
import io.entrysim.diag.AsmError;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Nov 2017 KAISER macros the seed thread argued about (Peter Zijlstra's 4/6 + 5/6, and the
 * state just before them), and Dave Hansen's x86-kaiser tree, run unchanged with
 * {@code -DCONFIG_KAISER}. KAISER_SWITCH_MASK is 0x1800 in the reconstructed files (PGD bit 12 |
 * user-ASID bit 11) and 0x1000 in the x86-kaiser tree; user_asid_flush_mask is an 8-byte per-CPU
 * unsigned long. Expectations are derived by hand from the patch mails and the SDM.
 */
class CallingKaiser2017Test {
    static final long SWITCH = 0x1800L;
    static final long ASID_MASK = GS + 0x1100;  // %gs:user_asid_flush_mask
    static final Map<String, String> KAISER = Map.of("CONFIG_KAISER", "1");

    static CorpusRun after(Map<String, Boolean> keys, String... features) {
        return new CorpusRun("calling-kaiser-2017-11-29-after-5of6.h", Set.of(features), KAISER, keys);
    }

    static CorpusRun before(Map<String, Boolean> keys, String... features) {
        return new CorpusRun("calling-kaiser-2017-11-29-before-4of6.h", Set.of(features), KAISER, keys);
    }

    static final Map<String, Boolean> KEY_ON = Map.of("kaiser_enabled_key", true);
    static final Map<String, Boolean> KEY_OFF = Map.of("kaiser_enabled_key", false);

    // ---- after-5of6: SWITCH_TO_USER_CR3 with push / bt / btr / pop

    @ParameterizedTest(name = "ASID {0}: pending flush is done once")
    @ValueSource(longs = {1, 4, 6})
    void switchToUserFlushesPendingAsid(long asid) {
        var r = after(KEY_ON, "PCID").run("\tSWITCH_TO_USER_CR3 scratch_reg=%rsi", K | asid,
                cpu -> cpu.memory().poke(ASID_MASK, 8, (1L << asid) | (1L << 40)));
        assertWrites(r.outcome(), K | asid | SWITCH, 0);
        assertEquals((1L << 40), r.mem(ASID_MASK, 8), "only this ASID's bit is cleared");
        assertEquals(K | asid | SWITCH, r.reg(Reg.RSI), "pop restored the original CR3 before the OR");
        assertEquals(0xffffc90000004000L, r.reg(Reg.RSP), "push and pop balanced on the flush path");
        assertEquals(K | asid, r.mem(0xffffc90000004000L - 8, 8), "push \\scratch_reg is a 64-bit push (Q3)");
    }

    @Test
    void switchToUserWithoutPendingFlushSetsNoflush() {
        var r = after(KEY_ON, "PCID").run("\tSWITCH_TO_USER_CR3 scratch_reg=%rsi", K | 2, cpu -> { });
        assertWrites(r.outcome(), K | 2 | SWITCH | NOFLUSH, 1);
        assertEquals(0xffffc90000004000L, r.reg(Reg.RSP), "push and pop balanced on the no-flush path");
    }

    @Test
    void staticKeyOffSkipsEverything() {
        var r = after(KEY_OFF, "PCID").run("\tSWITCH_TO_USER_CR3 scratch_reg=%rsi", K | 2, cpu -> cpu.setReg(Reg.RSI, 5));
        assertWrites(r.outcome());
        assertEquals(5, r.reg(Reg.RSI));
    }

    @Test
    void staticKeyAbsentTakesDefOne() {
        var r = after(Map.of(), "PCID").run("\tSWITCH_TO_USER_CR3 scratch_reg=%rsi", K | 2, cpu -> { });
        assertEquals(1, r.outcome().cr3Writes().size(), "def=1: the switch runs as emitted before patching");
    }

    @Test
    void withoutPcidTheSeedCodeStillSetsBit11() {
        // Q7: with PCID off (CR4.PCIDE=0) the seed-era code ORs 0x1800, so bit 11 lands in CR3.
        var r = after(KEY_ON).run("\tSWITCH_TO_USER_CR3 scratch_reg=%rsi", K, cpu -> { });
        assertWrites(r.outcome(), K | SWITCH, 0);
        assertEquals(0x800L, r.cpu().cr3() & 0x800L);
    }

    // ---- after-5of6: RESTORE_CR3 with bt $11 / bt / btr

    @Test
    void restoreUserAsidWithPendingFlush() {
        long user = K | 3 | SWITCH;
        var r = after(KEY_ON, "PCID").run("\tRESTORE_CR3 scratch_reg=%rbx save_reg=%r14", K | 3, cpu -> {
            cpu.setReg(Reg.R14, user);
            cpu.memory().poke(ASID_MASK, 8, 1L << 3);
        });
        assertWrites(r.outcome(), user, 0);
        assertEquals(0, r.mem(ASID_MASK, 8));
        assertEquals(3, r.reg(Reg.RBX));
    }

    @Test
    void restoreKernelAsidIsNoFlush() {
        var r = after(KEY_ON, "PCID").run("\tRESTORE_CR3 scratch_reg=%rbx save_reg=%r14", K | 3, cpu -> {
            cpu.setReg(Reg.R14, K | 3);
            cpu.memory().poke(ASID_MASK, 8, 1L << 3);
        });
        assertWrites(r.outcome(), K | 3 | NOFLUSH, 1);
        assertEquals(1L << 3, r.mem(ASID_MASK, 8), "a kernel CR3 does not consume the user flush");
    }

    // ---- before-4of6: ADJUST_USER_CR3 always NOFLUSH

    @Test
    void beforePatchAlwaysWritesNoflush() {
        var r = before(KEY_ON, "PCID").run("\tSWITCH_TO_USER_CR3 scratch_reg=%rsi", K | 2,
                cpu -> cpu.memory().poke(ASID_MASK, 8, 1L << 2));
        assertWrites(r.outcome(), K | 2 | SWITCH | NOFLUSH, 1);
        assertEquals(1L << 2, r.mem(ASID_MASK, 8), "before 4/6 nothing reads the mask");
    }

    @Test
    void saveAndSwitchSameInBothStates() {
        for (CorpusRun run : new CorpusRun[] {before(KEY_ON, "PCID"), after(KEY_ON, "PCID")}) {
            var r = run.run("\tSAVE_AND_SWITCH_TO_KERNEL_CR3 scratch_reg=%rax, save_reg=%r14", K | 2 | SWITCH, cpu -> { });
            assertEquals(K | 2 | SWITCH, r.reg(Reg.R14));
            assertWrites(r.outcome(), K | 2 | NOFLUSH, 1);
        }
    }

    // ---- the x86-kaiser tree: %r\scratch_reg pasting (Q8)

    static CorpusRun kaiserTree() {
        return new CorpusRun("calling-x86-kaiser-2017-0968e693.h", new HashSet<>(), KAISER, Map.of());
    }

    @Test
    void kaiserTreePastesPercentR() {
        var r = kaiserTree().run("\tSAVE_AND_SWITCH_TO_KERNEL_CR3 scratch_reg=ax save_reg=%r14", K | 0x1000, cpu -> { });
        assertEquals(K | 0x1000, r.reg(Reg.R14));
        assertEquals(K, r.reg(Reg.RAX), "%r\\scratch_reg with scratch_reg=ax is %rax");
        assertWrites(r.outcome(), K, 0);
    }

    @Test
    void kaiserTreeRejectsFullRegisterName() {
        CorpusRun tree = kaiserTree(); // outside assertThrows: without the corpus this skips
        AsmError e = assertThrows(AsmError.class,
                () -> tree.build("\tSAVE_AND_SWITCH_TO_KERNEL_CR3 scratch_reg=%rax, save_reg=%r14"));
        assertTrue(e.format().contains("in expansion of macro SAVE_AND_SWITCH_TO_KERNEL_CR3 at snippet.S:5"), e.format());
    }

    @Test
    void kaiserTreeSwitchesBothWays() {
        var r = kaiserTree().run("\tSWITCH_TO_USER_CR3 scratch_reg=%rsi\n\tSWITCH_TO_KERNEL_CR3 scratch_reg=%rsi\n"
                + "\tRESTORE_CR3 save_reg=%r14", K, cpu -> cpu.setReg(Reg.R14, K | 0x1000));
        assertWrites(r.outcome(), K | 0x1000, 0, K, 0, K | 0x1000, 0);
    }
}
