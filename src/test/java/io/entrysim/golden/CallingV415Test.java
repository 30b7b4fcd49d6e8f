package io.entrysim.golden;

import io.entrysim.exec.StopReason;
import io.entrysim.exec.Cr3WriteSite;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.cpu.Cr3Write;
import io.entrysim.cpu.Reg;
import io.entrysim.session.RunOutcome;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The v4.15 CR3 macros, run unchanged from {@code calling-v4.15.h}. Every expectation is derived
 * by hand from the SDM's MOV-to-CR3 rules and the kernel's own comments (PGD pair: bit 12 picks
 * the user half; user PCID = kernel PCID | bit 11; bit 63 = keep this PCID's TLB entries;
 * {@code user_pcid_flush_mask} bit N = "flush user PCID N|0x800 at the next exit") — never from
 * entrysim's own output.
 */
class CallingV415Test {
    static final long K = 0x1c0a000L;              // kernel PGD (8 KiB aligned)
    static final long USER = 0x1000L;              // PTI_USER_PGTABLE_MASK
    static final long UPCID = 0x800L;              // PTI_USER_PCID_MASK
    static final long NOFLUSH = 1L << 63;
    static final long GS = 0xffff88807fc00000L;
    static final long MASK = GS + 0x1000 + 22;     // %gs:cpu_tlbstate + TLB_STATE_user_pcid_flush_mask

    static final Map<String, String> PTI = Map.of("CONFIG_PAGE_TABLE_ISOLATION", "1");

    static CorpusRun v415(String... features) {
        return new CorpusRun("calling-v4.15.h", Set.of(features), PTI, Map.of());
    }

    static void assertWrites(RunOutcome o, long... valueThenNoFlush) {
        List<Cr3WriteSite> w = o.cr3Writes();
        assertEquals(valueThenNoFlush.length / 2, w.size(), "number of CR3 writes: " + w);
        for (int i = 0; i < w.size(); i++) {
            Cr3Write c = w.get(i).write();
            assertEquals(valueThenNoFlush[2 * i], c.valueWritten(), "value written #" + i);
            assertEquals(valueThenNoFlush[2 * i + 1] != 0, c.noFlush(), "no-flush #" + i);
        }
    }

    // ---- SWITCH_TO_USER_CR3_STACK, scratch register %rdi

    @ParameterizedTest(name = "PTI+PCID, PCID {0}, flush pending")
    @ValueSource(longs = {1, 3, 6})
    void toUserStackFlushesWhenRequested(long pcid) {
        var r = v415("PTI", "PCID").run("\tSWITCH_TO_USER_CR3_STACK scratch_reg=%rsi", K | pcid, cpu -> {
            cpu.memory().poke(MASK, 2, (1L << pcid) | 0x8001); // neighbours set too: only bit pcid may change
            cpu.setReg(Reg.RAX, 0xaaaa);
        });
        assertEquals(StopReason.HLT, r.outcome().stop());
        long user = K | pcid | UPCID | USER;
        assertWrites(r.outcome(), user, 0);
        assertEquals(user, r.cpu().cr3());
        assertEquals(0x8001, r.mem(MASK, 2), "the requested flush is consumed, other bits kept");
        assertEquals(user, r.reg(Reg.RSI));
        assertEquals(0xaaaa, r.reg(Reg.RAX), "pushq/popq %rax preserve it");
        assertEquals(0xffffc90000004000L, r.reg(Reg.RSP), "push/pop balanced");
        assertEquals(0xaaaa, r.mem(0xffffc90000004000L - 8, 8), "the push went to the stack");
    }

    @ParameterizedTest(name = "PTI+PCID, PCID {0}, no flush pending")
    @ValueSource(longs = {1, 2, 6})
    void toUserStackKeepsTlbWhenNoFlushPending(long pcid) {
        var r = v415("PTI", "PCID").run("\tSWITCH_TO_USER_CR3_STACK scratch_reg=%rsi", K | pcid, cpu -> {
            cpu.memory().poke(MASK, 2, 0x7e & ~(1L << pcid));
            cpu.setReg(Reg.RAX, 0x1234);
        });
        long user = K | pcid | UPCID | USER;
        assertWrites(r.outcome(), user | NOFLUSH, 1);
        assertEquals(user, r.cpu().cr3(), "bit 63 is not stored");
        assertEquals(0x7e & ~(1L << pcid), r.mem(MASK, 2), "mask untouched");
        assertEquals(user | NOFLUSH, r.reg(Reg.RSI));
        assertEquals(0x1234, r.reg(Reg.RAX));
    }

    @Test
    void toUserStackWithoutPcidOnlyFlipsThePgd() {
        var r = v415("PTI").run("\tSWITCH_TO_USER_CR3_STACK scratch_reg=%rsi", K, cpu -> cpu.memory().poke(MASK, 2, 0xffff));
        assertWrites(r.outcome(), K | USER, 0);
        assertEquals(K | USER, r.cpu().cr3());
        assertEquals(0xffff, r.mem(MASK, 2), "no PCID: the mask is never looked at");
        assertEquals(0, r.cpu().cr3() & (UPCID | NOFLUSH), "no PCID bits without PCID (Q7)");
    }

    @Test
    void toUserStackWithoutPtiDoesNothing() {
        var r = v415().run("\tSWITCH_TO_USER_CR3_STACK scratch_reg=%rsi", K, cpu -> {
            cpu.setReg(Reg.RSI, 0x77);
            cpu.setReg(Reg.RAX, 0x88);
        });
        assertWrites(r.outcome());
        assertEquals(K, r.cpu().cr3());
        assertEquals(0x77, r.reg(Reg.RSI));
        assertEquals(0x88, r.reg(Reg.RAX));
    }

    // ---- SWITCH_TO_USER_CR3_NOSTACK scratch_reg=%rsi scratch_reg2=%rax

    @Test
    void toUserNostackLeavesTheOriginalCr3InScratch2() {
        var r = v415("PTI", "PCID").run("\tSWITCH_TO_USER_CR3_NOSTACK scratch_reg=%rsi scratch_reg2=%rax", K | 4,
                cpu -> cpu.memory().poke(MASK, 2, 1L << 4));
        assertWrites(r.outcome(), K | 4 | UPCID | USER, 0);
        assertEquals(K | 4, r.reg(Reg.RAX));
        assertEquals(0, r.mem(MASK, 2));
        assertEquals(0xffffc90000004000L, r.reg(Reg.RSP), "NOSTACK does not touch the stack");
    }

    @Test
    void toUserNostackWithoutPcidLeavesScratch2Alone() {
        var r = v415("PTI").run("\tSWITCH_TO_USER_CR3_NOSTACK scratch_reg=%rdi scratch_reg2=%rax", K,
                cpu -> cpu.setReg(Reg.RAX, 0x99));
        assertWrites(r.outcome(), K | USER, 0);
        assertEquals(0x99, r.reg(Reg.RAX), "without PCID the macro jumps past the mask test");
    }

    @Test
    void toUserNostackWithoutPtiDoesNothing() {
        var r = v415().run("\tSWITCH_TO_USER_CR3_NOSTACK scratch_reg=%rdi scratch_reg2=%rax", K, cpu -> { });
        assertWrites(r.outcome());
        assertEquals(2, r.outcome().steps(), "the ALTERNATIVE's jmp to .Lend_N, then the snippet's hlt");
    }

    // ---- SWITCH_TO_KERNEL_CR3 scratch_reg=%rsp (the SYSCALL entry: no stack yet)

    @ParameterizedTest(name = "PTI+PCID from user PCID {0}|0x800")
    @ValueSource(longs = {1, 5})
    void toKernelWithPcidKeepsKernelTlb(long pcid) {
        var r = v415("PTI", "PCID").run("\tSWITCH_TO_KERNEL_CR3 scratch_reg=%rsp", K | pcid | UPCID | USER, cpu -> { });
        assertWrites(r.outcome(), K | pcid | NOFLUSH, 1);
        assertEquals(K | pcid, r.cpu().cr3());
        assertEquals(K | pcid | NOFLUSH, r.reg(Reg.RSP), "the scratch register holds the value written");
    }

    @Test
    void toKernelWithoutPcidFlushes() {
        var r = v415("PTI").run("\tSWITCH_TO_KERNEL_CR3 scratch_reg=%rsp", K | USER, cpu -> { });
        assertWrites(r.outcome(), K, 0);
        assertEquals(K, r.cpu().cr3());
    }

    @Test
    void toKernelWithoutPtiDoesNothing() {
        var r = v415().run("\tSWITCH_TO_KERNEL_CR3 scratch_reg=%rsp", K, cpu -> { });
        assertWrites(r.outcome());
        assertEquals(0xffffc90000004000L, r.reg(Reg.RSP));
    }

    // ---- SAVE_AND_SWITCH_TO_KERNEL_CR3 scratch_reg=%rax, save_reg=%r14

    @Test
    void saveAndSwitchFromUserCr3() {
        long user = K | 2 | UPCID | USER;
        var r = v415("PTI", "PCID").run("\tSAVE_AND_SWITCH_TO_KERNEL_CR3 scratch_reg=%rax, save_reg=%r14", user, cpu -> { });
        assertEquals(user, r.reg(Reg.R14), "the interrupted CR3 is saved");
        assertWrites(r.outcome(), K | 2 | NOFLUSH, 1);
        assertEquals(K | 2, r.cpu().cr3());
    }

    @Test
    void saveAndSwitchFromKernelCr3WritesNothing() {
        var r = v415("PTI", "PCID").run("\tSAVE_AND_SWITCH_TO_KERNEL_CR3 scratch_reg=%rax, save_reg=%r14", K | 2, cpu -> { });
        assertEquals(K | 2, r.reg(Reg.R14));
        assertWrites(r.outcome());
        assertTrue((r.cpu().rflags() & 1) == 0, "bt $12 left CF clear");
    }

    @Test
    void saveAndSwitchWithoutPcid() {
        var r = v415("PTI").run("\tSAVE_AND_SWITCH_TO_KERNEL_CR3 scratch_reg=%rax, save_reg=%r14", K | USER, cpu -> { });
        assertEquals(K | USER, r.reg(Reg.R14));
        assertWrites(r.outcome(), K, 0);
    }

    // ---- RESTORE_CR3 scratch_reg=%rbx save_reg=%r14

    @ParameterizedTest(name = "user CR3 with PCID {0}, flush pending")
    @ValueSource(longs = {1, 6})
    void restoreUserCr3ConsumesPendingFlush(long pcid) {
        long user = K | pcid | UPCID | USER;
        var r = v415("PTI", "PCID").run("\tRESTORE_CR3 scratch_reg=%rbx save_reg=%r14", K | 1, cpu -> {
            cpu.setReg(Reg.R14, user);
            cpu.memory().poke(MASK, 2, 1L << pcid);
        });
        assertWrites(r.outcome(), user, 0);
        assertEquals(0, r.mem(MASK, 2));
        assertEquals(pcid, r.reg(Reg.RBX), "scratch = saved CR3 & 0x7FF");
    }

    @Test
    void restoreUserCr3WithoutPendingFlush() {
        long user = K | 3 | UPCID | USER;
        var r = v415("PTI", "PCID").run("\tRESTORE_CR3 scratch_reg=%rbx save_reg=%r14", K | 1, cpu -> {
            cpu.setReg(Reg.R14, user);
            cpu.memory().poke(MASK, 2, 1L << 4);
        });
        assertWrites(r.outcome(), user | NOFLUSH, 1);
        assertEquals(user, r.cpu().cr3());
        assertEquals(1L << 4, r.mem(MASK, 2), "another PCID's request stays pending");
    }

    @Test
    void restoreKernelCr3IsAlwaysNoFlush() {
        var r = v415("PTI", "PCID").run("\tRESTORE_CR3 scratch_reg=%rbx save_reg=%r14", K | 1, cpu -> {
            cpu.setReg(Reg.R14, K | 1);
            cpu.setReg(Reg.RBX, 0xbbbb);
            cpu.memory().poke(MASK, 2, 0x2);
        });
        assertWrites(r.outcome(), K | 1 | NOFLUSH, 1);
        assertEquals(0xbbbb, r.reg(Reg.RBX), "kernel CR3: the mask is not consulted");
        assertEquals(0x2, r.mem(MASK, 2));
    }

    @Test
    void restoreWithoutPcidWritesTheSavedValue() {
        var r = v415("PTI").run("\tRESTORE_CR3 scratch_reg=%rbx save_reg=%r14", K, cpu -> cpu.setReg(Reg.R14, K | USER));
        assertWrites(r.outcome(), K | USER, 0);
    }

    @Test
    void restoreWithoutPtiDoesNothing() {
        var r = v415().run("\tRESTORE_CR3 scratch_reg=%rbx save_reg=%r14", K, cpu -> cpu.setReg(Reg.R14, K | USER));
        assertWrites(r.outcome());
        assertEquals(K, r.cpu().cr3());
    }

    // ---- provenance: the instruction that wrote CR3 knows its macro-body line and the chain

    @Test
    void cr3WriteCarriesMacroChain() {
        var r = v415("PTI", "PCID").run("\tSWITCH_TO_USER_CR3_STACK scratch_reg=%rsi", K | 1, cpu -> { });
        var insn = r.outcome().cr3Writes().get(0).insn();
        assertTrue(insn.origin.pos().file().endsWith("calling.h"), insn.origin.toString());
        var chain = insn.origin.macroChain();
        assertEquals("SWITCH_TO_USER_CR3_NOSTACK", chain.get(0).name());
        assertEquals("SWITCH_TO_USER_CR3_STACK", chain.get(1).name());
        assertEquals("snippet.S", chain.get(1).at().file());
        assertEquals(5, chain.get(1).at().line());
        assertFalse(insn.text.isEmpty());
    }
}
