package io.entrysim.assemble;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.cpu.Reg;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Encodings with a catch, byte by byte, and bytes that are no instruction entrysim executes. The
 * expected texts are what objdump 2.40 prints for the same bytes (the differential tests in
 * {@code io.entrysim.diff} check that on a large scale).
 */
class MachineCodeDecoderTest {
    private static final long AT = 0xffffffff81000000L;

    private static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    /** Decodes {@code hex} at {@link #AT}: one whole instruction, fitting the form table. */
    private static Insn insn(String hex, String objdumpText) {
        byte[] b = bytes(hex);
        Decoded d = MachineCodeDecoder.decode(b, 0, AT);
        Decoded.Instruction i = assertInstanceOf(Decoded.Instruction.class, d, () -> hex + ": " + d);
        Insn insn = i.insn();
        assertEquals(b.length, i.length(), hex);
        assertArrayEquals(b, i.bytes());
        assertEquals(AT, insn.address);
        assertEquals(AT + b.length, insn.nextAddress);
        assertEquals(objdumpText, insn.text, hex);
        assertNull(insn.origin);
        assertNull(InsnForms.problem(insn, 0), hex);
        return insn;
    }

    private static Decoded.Invalid invalid(String hex, Decoded.Problem problem) {
        Decoded d = MachineCodeDecoder.decode(bytes(hex), 0, AT);
        Decoded.Invalid v = assertInstanceOf(Decoded.Invalid.class, d, () -> hex + " decoded as " + d);
        assertEquals(problem, v.problem(), v::message);
        assertTrue(v.message().startsWith("bytes " + Decoded.hex(v.bytes()) + " at 0xffffffff81000000: "), v.message());
        return v;
    }

    private static Operand.Gpr gpr(int reg, int size) {
        return new Operand.Gpr(reg, size, false);
    }

    private static Operand.Mem mem(int base, long disp) {
        return new Operand.Mem(Operand.Mem.SEG_NONE, base, Operand.Mem.NO_REG, 1, disp, false);
    }

    private static void operands(Insn i, Operand... expected) {
        assertArrayEquals(expected, i.operands, i.text);
    }

    // ---- bytes the kernel emits with .byte/.long

    @Test
    void irqEntriesStartPushesItsVectorWithPushImm8() {
        // v5.8+ irq_entries_start: .byte 0x6a, vector (a push of the sign-extended imm8)
        Insn i = insn("6a 20", "push   $0x20");
        assertEquals(Op.PUSH, i.op);
        assertEquals(8, i.size);
        operands(i, new Operand.Imm(0x20));
        Insn neg = insn("6a 80", "push   $0xffffffffffffff80");
        operands(neg, new Operand.Imm(-128));
    }

    @Test
    void staticJumpIsAJmpRel32ToAnAbsoluteAddress() {
        // v4.15 STATIC_JUMP: .byte 0xe9; .long target - 1f; 1:
        Insn i = insn("e9 fb 0f 00 00", "jmp    0xffffffff81001000");
        assertEquals(Op.JMP, i.op);
        assertTrue(i.isDirectBranch());
        assertEquals(-1, i.target);
        assertEquals(AT + 0x1000, i.targetAddress);
        assertEquals(0, i.operands.length);
        Insn back = insn("e9 fb ff ff ff", "jmp    0xffffffff81000000");
        assertEquals(AT, back.targetAddress);
    }

    @Test
    void directBranchesCarryTheirTargetAddress() {
        assertEquals(AT, insn("eb fe", "jmp    0xffffffff81000000").targetAddress);
        Insn jcc = insn("0f 84 10 00 00 00", "je     0xffffffff81000016");
        assertEquals(Cond.E, jcc.cond);
        assertEquals(AT + 0x16, jcc.targetAddress);
        Insn short_ = insn("7f 80", "jg     0xffffffff80ffff82");
        assertEquals(Cond.G, short_.cond);
        Insn call = insn("e8 00 00 00 00", "call   0xffffffff81000005");
        assertEquals(Op.CALL, call.op);
        assertEquals(AT + 5, call.targetAddress);
        assertEquals(8, call.size);
        // branch hints: cs = not taken, ds = taken
        assertEquals(Cond.NE, insn("3e 75 00", "jne,pt 0xffffffff81000003").cond);
    }

    @Test
    void indirectBranchesHaveAnOperandAndNoTarget() {
        Insn r = insn("41 ff d3", "call   *%r11");
        assertFalse(r.isDirectBranch());
        assertEquals(Insn.NO_TARGET_ADDRESS, r.targetAddress);
        operands(r, gpr(11, 8));
        operands(insn("ff 24 c5 00 10 00 00", "jmp    *0x1000(,%rax,8)"),
                new Operand.Mem(Operand.Mem.SEG_NONE, Operand.Mem.NO_REG, Reg.RAX, 8, 0x1000, false));
        operands(insn("ff 15 10 00 00 00", "call   *0x10(%rip)        # 0xffffffff81000016"),
                new Operand.Mem(Operand.Mem.SEG_NONE, Operand.Mem.NO_REG, Operand.Mem.NO_REG, 1, AT + 0x16, true));
        insn("3e ff e0", "notrack jmp *%rax");
    }

    // ---- memory operands

    @Test
    void ripRelativeFoldsToTheAbsoluteAddress() {
        Insn i = insn("48 8b 05 f9 ff ff ff", "mov    -0x7(%rip),%rax        # 0xffffffff81000000");
        operands(i, new Operand.Mem(Operand.Mem.SEG_NONE, Operand.Mem.NO_REG, Operand.Mem.NO_REG, 1, AT, true), gpr(0, 8));
        // the displacement counts from the end of the instruction, immediate included
        Insn imm = insn("c7 05 00 00 00 00 01 00 00 00", "movl   $0x1,0x0(%rip)        # 0xffffffff8100000a");
        assertEquals(AT + 10, ((Operand.Mem) imm.operands[1]).disp());
    }

    @Test
    void sibAndModrmSpecialCases() {
        operands(insn("8b 04 24", "mov    (%rsp),%eax"), mem(Reg.RSP, 0), gpr(0, 4));
        operands(insn("41 8b 04 24", "mov    (%r12),%eax"), mem(12, 0), gpr(0, 4));
        operands(insn("8b 45 00", "mov    0x0(%rbp),%eax"), mem(Reg.RBP, 0), gpr(0, 4));
        operands(insn("41 8b 45 f8", "mov    -0x8(%r13),%eax"), mem(13, -8), gpr(0, 4));
        // no base, no index: an absolute (sign-extended) address
        operands(insn("8b 04 25 f0 ff ff ff", "mov    0xfffffffffffffff0,%eax"), mem(Operand.Mem.NO_REG, -16), gpr(0, 4));
        // a SIB without index: %riz in the text, no index in the operand
        operands(insn("8b 04 20", "mov    (%rax,%riz,1),%eax"), mem(Reg.RAX, 0), gpr(0, 4));
        operands(insn("8b 04 65 10 00 00 00", "mov    0x10(,%riz,2),%eax"), mem(Operand.Mem.NO_REG, 0x10), gpr(0, 4));
        // REX.X makes index 4 %r12, a real index
        operands(insn("42 8b 04 20", "mov    (%rax,%r12,1),%eax"),
                new Operand.Mem(Operand.Mem.SEG_NONE, Reg.RAX, 12, 1, 0, false), gpr(0, 4));
        operands(insn("4b 8d 44 fd 80", "lea    -0x80(%r13,%r15,8),%rax"),
                new Operand.Mem(Operand.Mem.SEG_NONE, 13, 15, 8, -128, false), gpr(0, 8));
    }

    @Test
    void segmentPrefixes() {
        operands(insn("65 48 8b 04 25 10 00 00 00", "mov    %gs:0x10,%rax"),
                new Operand.Mem(Operand.Mem.SEG_GS, Operand.Mem.NO_REG, Operand.Mem.NO_REG, 1, 0x10, false), gpr(0, 8));
        operands(insn("64 8b 00", "mov    %fs:(%rax),%eax"),
                new Operand.Mem(Operand.Mem.SEG_FS, Reg.RAX, Operand.Mem.NO_REG, 1, 0, false), gpr(0, 4));
        // es/cs/ss/ds have base 0 in 64-bit mode: no effect, objdump prints them as words
        operands(insn("2e 8b 00", "cs mov (%rax),%eax"), mem(Reg.RAX, 0), gpr(0, 4));
        insn("65 90", "gs nop");
        invalid("64 65 8b 00", Decoded.Problem.NOT_MODELLED);
    }

    @Test
    void moffsAndMovabs() {
        operands(insn("a0 34 12 00 00 00 00 00 00", "movabs 0x1234,%al"), mem(Operand.Mem.NO_REG, 0x1234), gpr(0, 1));
        operands(insn("65 48 a3 00 00 00 00 00 00 00 80", "movabs %rax,%gs:0x8000000000000000"), gpr(0, 8),
                new Operand.Mem(Operand.Mem.SEG_GS, Operand.Mem.NO_REG, Operand.Mem.NO_REG, 1, Long.MIN_VALUE, false));
        operands(insn("48 b8 89 67 45 23 01 00 00 00", "movabs $0x123456789,%rax"), new Operand.Imm(0x123456789L), gpr(0, 8));
        operands(insn("49 bf ff ff ff ff ff ff ff ff", "movabs $0xffffffffffffffff,%r15"), new Operand.Imm(-1), gpr(15, 8));
    }

    // ---- immediates, folded as the assembler folds them

    @Test
    void immediatesAreSignExtendedForSixtyFourBitsAndMaskedBelow() {
        operands(insn("48 c7 c0 ff ff ff ff", "mov    $0xffffffffffffffff,%rax"), new Operand.Imm(-1), gpr(0, 8));
        operands(insn("b8 ff ff ff ff", "mov    $0xffffffff,%eax"), new Operand.Imm(0xffffffffL), gpr(0, 4));
        operands(insn("83 c0 ff", "add    $0xffffffff,%eax"), new Operand.Imm(0xffffffffL), gpr(0, 4));
        operands(insn("66 83 c0 ff", "add    $0xffff,%ax"), new Operand.Imm(0xffff), gpr(0, 2));
        operands(insn("48 83 e0 80", "and    $0xffffffffffffff80,%rax"), new Operand.Imm(-128), gpr(0, 8));
        operands(insn("48 2d 00 00 00 80", "sub    $0xffffffff80000000,%rax"), new Operand.Imm(-0x80000000L), gpr(0, 8));
        operands(insn("04 ff", "add    $0xff,%al"), new Operand.Imm(0xff), gpr(0, 1));
        operands(insn("a9 00 01 00 00", "test   $0x100,%eax"), new Operand.Imm(0x100), gpr(0, 4));
        operands(insn("66 6a ff", "pushw  $0xffff"), new Operand.Imm(0xffff));
        operands(insn("68 00 00 00 80", "push   $0xffffffff80000000"), new Operand.Imm(-0x80000000L));
        operands(insn("c2 08 00", "ret    $0x8"), new Operand.Imm(8));
        operands(insn("f6 c8 01", "test   $0x1,%al"), new Operand.Imm(1), gpr(0, 1)); // f6 /1: the alias of /0
    }

    @Test
    void aluFormsInEveryDirection() {
        Insn add = insn("01 c3", "add    %eax,%ebx");
        operands(add, gpr(0, 4), gpr(3, 4));
        operands(insn("03 c3", "add    %ebx,%eax"), gpr(3, 4), gpr(0, 4));
        operands(insn("f0 48 29 07", "lock sub %rax,(%rdi)"), gpr(0, 8), mem(Reg.RDI, 0));
        operands(insn("f0 83 00 01", "lock addl $0x1,(%rax)"), new Operand.Imm(1), mem(Reg.RAX, 0));
        operands(insn("80 3d 00 00 00 00 00", "cmpb   $0x0,0x0(%rip)        # 0xffffffff81000007"), new Operand.Imm(0),
                new Operand.Mem(Operand.Mem.SEG_NONE, Operand.Mem.NO_REG, Operand.Mem.NO_REG, 1, AT + 7, true));
        operands(insn("85 18", "test   %ebx,(%rax)"), gpr(3, 4), mem(Reg.RAX, 0));
        assertEquals(Op.NOT, insn("66 f7 10", "notw   (%rax)").op);
        assertEquals(Op.NEG, insn("f6 d8", "neg    %al").op);
        assertEquals(Op.DEC, insn("48 ff 08", "decq   (%rax)").op);
    }

    @Test
    void byteRegistersWithAndWithoutRex() {
        operands(insn("88 f7", "mov    %dh,%bh"), new Operand.Gpr(2, 1, true), new Operand.Gpr(3, 1, true));
        operands(insn("40 88 f7", "mov    %sil,%dil"), gpr(Reg.RSI, 1), gpr(Reg.RDI, 1));
        operands(insn("44 30 c6", "xor    %r8b,%sil"), gpr(8, 1), gpr(Reg.RSI, 1));
        operands(insn("40 b6 ff", "mov    $0xff,%sil"), new Operand.Imm(0xff), gpr(Reg.RSI, 1));
        // a REX whose bits nothing uses: objdump names it
        operands(insn("40 88 c3", "rex mov %al,%bl"), gpr(0, 1), gpr(3, 1));
        insn("48 c3", "rex.W ret");
        insn("66 48 89 c3", "data16 mov %rax,%rbx");
    }

    @Test
    void shiftsAndBitTests() {
        Insn shl1 = insn("48 d1 e0", "shl    %rax");
        assertEquals(Op.SHL, shl1.op);
        operands(shl1, new Operand.Imm(1), gpr(0, 8));
        operands(insn("d3 e0", "shl    %cl,%eax"), gpr(Reg.RCX, 1), gpr(0, 4));
        operands(insn("c1 f8 1f", "sar    $0x1f,%eax"), new Operand.Imm(31), gpr(0, 4));
        operands(insn("d2 20", "shlb   %cl,(%rax)"), gpr(Reg.RCX, 1), mem(Reg.RAX, 0));
        assertEquals(Op.SHL, insn("d0 f0", "shl    %al").op); // /6, the undocumented alias of shl
        assertEquals(Op.ROR, insn("66 c1 c8 04", "ror    $0x4,%ax").op);
        invalid("d1 d0", Decoded.Problem.NOT_MODELLED); // rcl
        Insn bt = insn("0f ba e0 3f", "bt     $0x3f,%eax");
        assertEquals(Op.BT, bt.op);
        operands(bt, new Operand.Imm(63), gpr(0, 4));
        operands(insn("f0 48 0f ab 07", "lock bts %rax,(%rdi)"), gpr(0, 8), mem(Reg.RDI, 0));
        assertEquals(Op.BTR, insn("66 0f ba 30 0f", "btrw   $0xf,(%rax)").op);
        assertEquals(Op.BTC, insn("0f bb c3", "btc    %eax,%ebx").op);
    }

    @Test
    void movesExtensionsExchanges() {
        Insn z = insn("0f b6 c0", "movzbl %al,%eax");
        assertEquals(Op.MOVZX, z.op);
        assertEquals(4, z.size);
        assertEquals(1, z.srcSize);
        Insn s = insn("48 63 07", "movslq (%rdi),%rax");
        assertEquals(Op.MOVSX, s.op);
        assertEquals(8, s.size);
        assertEquals(4, s.srcSize);
        assertEquals(2, insn("66 0f be c0", "movsbw %al,%ax").size);
        operands(insn("93", "xchg   %eax,%ebx"), gpr(0, 4), gpr(3, 4));
        operands(insn("41 90", "xchg   %eax,%r8d"), gpr(0, 4), gpr(8, 4));
        operands(insn("66 90", "xchg   %ax,%ax"), gpr(0, 2), gpr(0, 2));
        operands(insn("66 48 90", "xchg   %rax,%rax"), gpr(0, 8), gpr(0, 8));
        assertEquals(Op.NOP, insn("48 90", "rex.W nop").op);
        operands(insn("f0 87 03", "lock xchg %eax,(%rbx)"), gpr(0, 4), mem(Reg.RBX, 0));
        Insn cmov = insn("48 0f 45 18", "cmovne (%rax),%rbx");
        assertEquals(Cond.NE, cmov.cond);
        Insn set = insn("41 0f 9f c1", "setg   %r9b");
        assertEquals(Op.SETCC, set.op);
        assertEquals(1, set.size);
        operands(insn("66 8d 40 08", "lea    0x8(%rax),%ax"), mem(Reg.RAX, 8), gpr(0, 2));
    }

    @Test
    void stackForms() {
        operands(insn("41 54", "push   %r12"), gpr(12, 8));
        operands(insn("66 50", "push   %ax"), gpr(0, 2));
        operands(insn("ff 30", "push   (%rax)"), mem(Reg.RAX, 0));
        Insn popw = insn("66 8f 00", "popw   (%rax)");
        assertEquals(2, popw.size);
        assertEquals(8, insn("9c", "pushf").size);
        assertEquals(2, insn("66 9d", "popfw").size);
        assertEquals(2, insn("66 c3", "retw").size);
        assertEquals(Op.RET, insn("f3 c3", "repz ret").op);
    }

    @Test
    void systemInstructions() {
        assertEquals(Op.SYSCALL, insn("0f 05", "syscall").op);
        Insn q = insn("48 0f 07", "sysretq");
        assertEquals(Op.SYSRET, q.op);
        assertEquals(8, q.size);
        assertEquals(4, insn("0f 07", "sysretl").size);
        assertEquals(8, insn("48 cf", "iretq").size);
        assertEquals(4, insn("cf", "iret").size);
        assertEquals(Op.SWAPGS, insn("0f 01 f8", "swapgs").op);
        assertEquals(Op.CLAC, insn("0f 01 ca", "clac").op);
        assertEquals(Op.STAC, insn("0f 01 cb", "stac").op);
        assertEquals(Op.RDMSR, insn("0f 32", "rdmsr").op);
        assertEquals(Op.WRMSR, insn("0f 30", "wrmsr").op);
        operands(insn("0f 00 e8", "verw   %ax"), gpr(0, 2));
        operands(insn("41 0f 00 ec", "verw   %r12w"), gpr(12, 2));
        assertEquals(2, insn("0f 00 28", "verw   (%rax)").size);
        assertEquals(Op.VERW, insn("0f 00 6c 24 10", "verw   0x10(%rsp)").op);
        operands(insn("8c d0", "mov    %ss,%eax"), new Operand.Sreg(2), gpr(0, 4));
        operands(insn("66 8c d0", "mov    %ss,%ax"), new Operand.Sreg(2), gpr(0, 2));
        assertEquals(2, insn("8c 18", "mov    %ds,(%rax)").size);
        operands(insn("41 8e d2", "mov    %r10d,%ss"), gpr(10, 4), new Operand.Sreg(2));
        assertEquals(2, insn("8e 18", "mov    (%rax),%ds").size);
        assertEquals(Op.SYSENTER, insn("0f 34", "sysenter").op);
        assertEquals(4, insn("0f 35", "sysexitl").size);
        Insn sysexitq = insn("48 0f 35", "sysexitq");
        assertEquals(Op.SYSEXIT, sysexitq.op);
        assertEquals(8, sysexitq.size);
        Insn rdpid = insn("f3 41 0f c7 f9", "rdpid  %r9");
        assertEquals(Op.RDPID, rdpid.op);
        operands(rdpid, gpr(9, 8));
        Insn leave = insn("c9", "leave");
        assertEquals(Op.LEAVE, leave.op);
        assertEquals(8, leave.size);
        assertEquals(2, insn("66 c9", "leavew").size);
        assertEquals(8, insn("48 c9", "rex.W leave").size);
        Insn int3 = insn("cc", "int3");
        assertEquals(Op.INT, int3.op);
        operands(int3, new Operand.Imm(3));
        operands(insn("cd 80", "int    $0x80"), new Operand.Imm(0x80));
        Insn lsl = insn("0f 03 c0", "lsl    %eax,%eax");
        assertEquals(Op.LSL, lsl.op);
        operands(lsl, gpr(0, 4), gpr(0, 4));
        operands(insn("45 0f 03 d1", "lsl    %r9d,%r10d"), gpr(9, 4), gpr(10, 4));
        assertEquals(2, insn("66 0f 03 00", "lsl    (%rax),%ax").size);
        Insn lar = insn("48 0f 02 c8", "lar    %rax,%rcx");
        assertEquals(Op.LAR, lar.op);
        operands(lar, gpr(0, 8), gpr(Reg.RCX, 8));
        assertEquals(4, insn("0f 02 08", "lar    (%rax),%ecx").size);
        assertEquals(Op.VERW, insn("0f 00 2d 00 00 00 00", "verw   0x0(%rip)        # 0xffffffff81000007").op);
        operands(insn("f3 48 0f ae c0", "rdfsbase %rax"), gpr(0, 8));
        operands(insn("f3 41 0f ae d9", "wrgsbase %r9d"), gpr(9, 4));
        operands(insn("0f 20 d8", "mov    %cr3,%rax"), new Operand.Cr(3), gpr(0, 8));
        operands(insn("44 0f 22 c7", "mov    %rdi,%cr8"), gpr(Reg.RDI, 8), new Operand.Cr(8));
        operands(insn("0f 22 18", "mov    %rax,%cr3"), gpr(0, 8), new Operand.Cr(3)); // ModRM.mod is ignored
        assertEquals(Op.LFENCE, insn("0f ae e8", "lfence").op);
        assertEquals(Op.MFENCE, insn("0f ae f0", "mfence").op);
        assertEquals(Op.SFENCE, insn("0f ae f8", "sfence").op);
        for (String[] b : new String[][] {{"fa", "cli"}, {"fb", "sti"}, {"f4", "hlt"}, {"0f 0b", "ud2"}, {"f5", "cmc"},
            {"f8", "clc"}, {"f9", "stc"}, {"fc", "cld"}, {"fd", "std"}}) {
            Insn i = insn(b[0], b[1]);
            assertEquals(b[1].toUpperCase(java.util.Locale.ROOT), i.op.name());
            assertEquals(4, i.size);
        }
    }

    @Test
    void nopsAsGasPads() {
        assertEquals(Op.NOP, insn("90", "nop").op);
        assertEquals(Op.NOP, insn("f3 90", "pause").op);
        operands(insn("0f 1f 00", "nopl   (%rax)"), mem(Reg.RAX, 0));
        operands(insn("0f 1f 44 00 00", "nopl   0x0(%rax,%rax,1)"),
                new Operand.Mem(Operand.Mem.SEG_NONE, Reg.RAX, Reg.RAX, 1, 0, false));
        Insn longest = insn("66 66 2e 0f 1f 84 00 00 00 00 00", "data16 cs nopw 0x0(%rax,%rax,1)");
        assertEquals(Op.NOP, longest.op);
        assertEquals(2, longest.size);
        operands(insn("66 0f 1f c0", "nop    %ax"), gpr(0, 2));
        // fourteen prefixes and an opcode: 15 bytes, the most a CPU takes
        insn("66 66 66 66 66 66 66 66 66 66 66 66 66 66 90", "data16 data16 data16 data16 data16 data16 data16 "
                + "data16 data16 data16 data16 data16 data16 xchg %ax,%ax");
    }

    // ---- what is not an instruction entrysim executes

    @Test
    void undefinedBytes() {
        assertTrue(invalid("8d c0", Decoded.Problem.UNDEFINED).reason().contains("lea with a register"));
        invalid("82 c0 01", Decoded.Problem.UNDEFINED);
        invalid("06", Decoded.Problem.UNDEFINED);
        invalid("0f ff c0", Decoded.Problem.UNDEFINED);
        invalid("0f 0a", Decoded.Problem.UNDEFINED);
        invalid("fe d0", Decoded.Problem.UNDEFINED);
        invalid("0f ba c0 01", Decoded.Problem.UNDEFINED); // /0../3 are undefined
        assertTrue(invalid("0f 20 e8", Decoded.Problem.UNDEFINED).reason().contains("%cr5"));
        Decoded.Invalid lockNop = invalid("f0 90", Decoded.Problem.UNDEFINED);
        assertEquals("bytes f0 90 at 0xffffffff81000000: lock prefix on `lock nop' (only add, adc, and, btc, btr, bts, "
                + "dec, inc, neg, not, or, sbb, sub, xor and xchg with a memory destination take it)", lockNop.message());
        invalid("f0 01 c3", Decoded.Problem.UNDEFINED); // register destination
        invalid("f0 39 03", Decoded.Problem.UNDEFINED); // cmp never writes
        invalid("f0 8b 00", Decoded.Problem.UNDEFINED);
    }

    @Test
    void validButNotModelled() {
        for (String hex : new String[] {"0f 31", "a4", "0f a2", "48 f7 e0", "67 8b 00", "f2 c3", "f3 48 89 c3",
            "66 e9 00 00 00 00", "66 ff e0", "63 c0", "66 0f b7 c0", "c4 e2 79 18 00", "66 cf", "0f 01 d0", "0f ae 38",
            "40 66 90", "41 41 90", "0f 1e fa"}) {
            Decoded.Invalid v = invalid(hex, Decoded.Problem.NOT_MODELLED);
            assertTrue(v.reason().contains("not modelled"), v::message);
        }
        assertEquals("bytes 0f 31 at 0xffffffff81000000: opcode 0f 31 (not an instruction entrysim knows) is not "
                + "modelled by entrysim", invalid("0f 31", Decoded.Problem.NOT_MODELLED).message());
    }

    @Test
    void tooLongAndTruncated() {
        Decoded.Invalid v = invalid("66 66 66 66 66 66 66 66 66 66 66 66 66 66 66 90", Decoded.Problem.TOO_LONG);
        assertEquals(15, v.bytes().length);
        invalid("48", Decoded.Problem.TRUNCATED);
        invalid("e9 00 00", Decoded.Problem.TRUNCATED);
        invalid("8b 04", Decoded.Problem.TRUNCATED);
    }

    /** A fetch fault of the byte source propagates; no byte past the instruction is ever read. */
    @Test
    void theByteSourceIsReadOnlyAsFarAsTheInstructionGoes() {
        final class Fault extends RuntimeException {
            Fault() {
                super("#PF");
            }
        }
        byte[] code = bytes("48 8b 05 f9 ff ff ff");
        MachineCodeDecoder.ByteSource endsAfter = a -> {
            long off = a - AT;
            if (off >= code.length) {
                throw new Fault();
            }
            return code[(int) off] & 0xff;
        };
        assertInstanceOf(Decoded.Instruction.class, MachineCodeDecoder.decode(endsAfter, AT));
        MachineCodeDecoder.ByteSource faultsInside = a -> {
            if (a - AT >= 3) {
                throw new Fault();
            }
            return code[(int) (a - AT)] & 0xff;
        };
        assertThrows(Fault.class, () -> MachineCodeDecoder.decode(faultsInside, AT));
        MachineCodeDecoder.NoByte none = new MachineCodeDecoder.NoByte(AT);
        assertSame(Decoded.Problem.TRUNCATED, ((Decoded.Invalid) MachineCodeDecoder.decode(a -> {
            throw none;
        }, AT)).problem());
    }

    @Test
    void decodesAtAnyOffsetAndAddress() {
        byte[] code = bytes("90 90 eb fc");
        Decoded d = MachineCodeDecoder.decode(code, 2, 0x1002);
        Insn i = ((Decoded.Instruction) d).insn();
        assertEquals(0x1000, i.targetAddress);
        assertEquals("jmp    0x1000", i.text);
        assertEquals(0x1002, d.address());
    }
}
