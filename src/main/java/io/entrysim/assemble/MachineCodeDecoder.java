package io.entrysim.assemble;

import io.entrysim.isa.RegisterNames;
import java.util.Arrays;

/**
 * Decodes x86-64 machine code (64-bit mode) into the same {@link Insn} the assembler builds from
 * source: one instruction at an address, read byte by byte from a {@link ByteSource}, so an
 * executor can fetch through its memory (a fetch fault the source throws propagates unchanged,
 * and no byte past the instruction's last is read).
 *
 * <p>The result ({@link Decoded}) is an {@link Decoded.Instruction} whose {@code Insn} has the
 * operation, sizes, condition and operands exactly as the assembler would give them for the
 * same instruction written in AT&amp;T syntax (immediates folded as the assembler folds them, a
 * RIP-relative operand already the absolute address with {@code ripRelative} set), the address
 * and the next address, for direct branches {@link Insn#targetAddress} (target index -1), {@code
 * text} as {@code objdump -d} (binutils 2.40) prints the instruction without symbols, and a null
 * origin. Every decoded instruction fits {@link InsnForms}. Anything else is {@link
 * Decoded.Invalid}: bytes that are no instruction ({@code UNDEFINED}), an instruction or prefix
 * entrysim does not model ({@code NOT_MODELLED}), more than 15 bytes ({@code TOO_LONG}), or a
 * source that ran out of bytes ({@code TRUNCATED}); never an exception.
 *
 * <p>Modelled: every form of the operations in {@link Op} (except {@code STUB}): ALU ops in all
 * sizes and the r/m, reg, imm8, imm32 and accumulator forms; shifts C0/C1/D0-D3; bt* register
 * and immediate forms; mov (incl. B0/B8+r, movabs imm64 and moffs, C6/C7), movzx/movsx/movsxd,
 * lea, xchg (incl. 90+r), cmovcc, setcc; push/pop register, memory, imm8, imm32; pushf/popf;
 * jmp/jcc/call rel8/rel32 and indirect; ret, ret imm16; syscall, sysret, iret, swapgs, rdmsr,
 * wrmsr, rd/wr fs/gs base, mov to/from %crN, cli, sti, hlt, ud2, nop, pause, the 0f 1f /0
 * multi-byte nops, lfence, mfence, sfence, clac, stac, cmc, clc, stc, cld, std. Prefixes: 66,
 * REX (incl. %spl..%dil), segment overrides (fs/gs give the operand a segment; es/cs/ss/ds have
 * no effect in 64-bit mode), lock (only where a CPU allows it, else UNDEFINED), f3 for pause,
 * {@code repz ret} and the fs/gs-base instructions. Not modelled: the 67 address-size prefix, f2,
 * and conflicting segment prefixes.
 */
public final class MachineCodeDecoder {
    /** The longest instruction a CPU accepts, prefixes included. */
    public static final int MAX_LENGTH = 15;

    private MachineCodeDecoder() {}

    /**
     * Where the decoder reads bytes. {@code byteAt} returns the byte at {@code address} (0..255);
     * an exception it throws (an instruction-fetch fault) propagates out of {@link #decode}
     * unchanged, except {@link NoByte}, which means "the code ends here" ({@code TRUNCATED}).
     */
    @FunctionalInterface
    public interface ByteSource {
        int byteAt(long address);

        /** {@code code[0]} at address {@code base}; addresses outside the array have {@link NoByte no byte}. */
        static ByteSource of(byte[] code, long base) {
            return a -> {
                long offset = a - base;
                if (Long.compareUnsigned(offset, code.length) >= 0) {
                    throw new NoByte(a);
                }
                return code[(int) offset] & 0xff;
            };
        }
    }

    /** Thrown by a {@link ByteSource} that has no byte at an address: the instruction is {@code TRUNCATED}. */
    public static final class NoByte extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public NoByte(long address) {
            super(String.format("no byte at 0x%x", address), null, false, false);
        }
    }

    /** The instruction at {@code address}. */
    public static Decoded decode(ByteSource source, long address) {
        Decoding d = new Decoding(source, address);
        try {
            return d.decode();
        } catch (Refusal r) {
            return new Decoded.Invalid(address, d.bytes(), r.problem, r.reason);
        } catch (NoByte e) {
            return new Decoded.Invalid(address, d.bytes(), Decoded.Problem.TRUNCATED,
                    "the code ends inside the instruction");
        }
    }

    /** The instruction at {@code code[offset]}, which sits at {@code address}. */
    public static Decoded decode(byte[] code, int offset, long address) {
        return decode(ByteSource.of(code, address - offset), address);
    }

    /** Why decoding stopped (internal control flow; never escapes {@link #decode}). */
    private static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Decoded.Problem problem;
        final String reason;

        Refusal(Decoded.Problem problem, String reason) {
            super(reason, null, false, false);
            this.problem = problem;
            this.reason = reason;
        }
    }

    private static final Op[] ALU = {Op.ADD, Op.OR, Op.ADC, Op.SBB, Op.AND, Op.SUB, Op.XOR, Op.CMP};
    private static final String[] ALU_NAMES = {"add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"};
    /** Group 2 by ModRM.reg: /6 is the undocumented alias of /4, which CPUs run (and objdump prints) as shl. */
    private static final Op[] SHIFTS = {Op.ROL, Op.ROR, null, null, Op.SHL, Op.SHR, Op.SHL, Op.SAR};
    private static final String[] SHIFT_NAMES = {"rol", "ror", "rcl", "rcr", "shl", "shr", "shl", "sar"};
    private static final Op[] BIT_TESTS = {Op.BT, Op.BTS, Op.BTR, Op.BTC};
    private static final String[] BIT_TEST_NAMES = {"bt", "bts", "btr", "btc"};
    private static final String[] CC = {"o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge",
        "le", "g"};
    private static final Cond[] CONDS = Cond.values();

    /** The state of one decode: bytes read, prefixes, ModRM, the memory operand, how to finish. */
    private static final class Decoding {
        private final ByteSource source;
        private final long address;
        private final byte[] buf = new byte[MAX_LENGTH];
        private int len;

        // legacy prefixes in order; "used" ones do not print as words (objdump)
        private final int[] prefixes = new int[MAX_LENGTH];
        private final boolean[] prefixUsed = new boolean[MAX_LENGTH];
        private int prefixCount;
        private int last66 = -1;
        private int lastF2 = -1;
        private int lastF3 = -1;
        private int lastLock = -1;
        private int lastSeg = -1;
        private int last67 = -1;
        private int rex;
        // which REX bits the instruction used (objdump prints an unused REX as "rex.W" etc.)
        private boolean usedW;
        private boolean usedR;
        private boolean usedX;
        private boolean usedB;
        private boolean usedRex;

        // ModRM
        private int mod;
        private int reg;
        private int rm;

        // the memory operand (at most one)
        private Operand.Mem mem;
        private String memText;

        // how to finish
        private boolean lockable;
        private boolean repzAllowed;
        private boolean shiftByOne;
        private boolean indirect;
        private boolean direct;
        private long rel;
        private String hint = "";

        Decoding(ByteSource source, long address) {
            this.source = source;
            this.address = address;
        }

        byte[] bytes() {
            return Arrays.copyOf(buf, len);
        }

        // ---- bytes

        private int fetch() {
            if (len == MAX_LENGTH) {
                throw new Refusal(Decoded.Problem.TOO_LONG, "more than " + MAX_LENGTH
                        + " bytes without ending an instruction (#GP)");
            }
            int b = source.byteAt(address + len) & 0xff;
            buf[len++] = (byte) b;
            return b;
        }

        private long s8() {
            return (byte) fetch();
        }

        private long u16() {
            return fetch() | fetch() << 8;
        }

        private long s32() {
            int v = fetch();
            v |= fetch() << 8;
            v |= fetch() << 16;
            v |= fetch() << 24;
            return v;
        }

        private long u32() {
            return s32() & 0xFFFF_FFFFL;
        }

        private long s64() {
            long lo = u32();
            return lo | s32() << 32;
        }

        private String opcodeText() {
            return Decoded.hex(bytes()).substring(prefixCount * 3 + (rex != 0 ? 3 : 0));
        }

        private Refusal undefined(String why) {
            return new Refusal(Decoded.Problem.UNDEFINED, why);
        }

        private Refusal notModelled(String what) {
            return new Refusal(Decoded.Problem.NOT_MODELLED, what + " is not modelled by entrysim");
        }

        private Refusal undefinedOpcode() {
            return undefined("opcode " + opcodeText() + " is undefined in 64-bit mode");
        }

        private Refusal unmodelledOpcode(String name) {
            return notModelled("opcode " + opcodeText() + " (" + name + ")");
        }

        // ---- prefixes and sizes

        Decoded decode() {
            int op;
            while (true) {
                int b = fetch();
                if (isLegacyPrefix(b)) {
                    if (rex != 0) {
                        throw notModelled("a REX prefix followed by another prefix (which makes a CPU ignore the REX)");
                    }
                    int i = prefixCount++;
                    prefixes[i] = b;
                    switch (b) {
                        case 0x66 -> last66 = i;
                        case 0x67 -> last67 = i;
                        case 0xf0 -> lastLock = i;
                        case 0xf2 -> lastF2 = i;
                        case 0xf3 -> lastF3 = i;
                        default -> {
                            if (lastSeg >= 0 && prefixes[lastSeg] != b) {
                                throw notModelled("two different segment prefixes");
                            }
                            lastSeg = i;
                        }
                    }
                    continue;
                }
                if ((b & 0xf0) == 0x40) {
                    if (rex != 0) {
                        throw notModelled("two REX prefixes");
                    }
                    rex = b;
                    continue;
                }
                op = b;
                break;
            }
            if (last67 >= 0) {
                throw notModelled("the address-size prefix 67 (32-bit addressing)");
            }
            return op == 0x0f ? twoByte(fetch()) : oneByte(op);
        }

        private static boolean isLegacyPrefix(int b) {
            return switch (b) {
                case 0x66, 0x67, 0xf0, 0xf2, 0xf3, 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65 -> true;
                default -> false;
            };
        }

        private boolean rexW() {
            return (rex & 8) != 0;
        }

        /** The operand size of a "v" operand: REX.W 8, else 66 gives 2, else 4. */
        private int operandSize() {
            if (rexW()) {
                usedW = true;
                return 8;
            }
            if (last66 >= 0) {
                prefixUsed[last66] = true;
                return 2;
            }
            return 4;
        }

        /** Push, pop and friends: 8 bytes, or 2 with 66 (REX.W wins). */
        private int stackSize() {
            if (!rexW() && last66 >= 0) {
                prefixUsed[last66] = true;
                return 2;
            }
            return 8;
        }

        /** The segment of a memory operand: only fs and gs have a base in 64-bit mode. */
        private int segment() {
            if (lastSeg >= 0) {
                int p = prefixes[lastSeg];
                if (p == 0x64 || p == 0x65) {
                    prefixUsed[lastSeg] = true;
                    return p == 0x64 ? Operand.Mem.SEG_FS : Operand.Mem.SEG_GS;
                }
            }
            return Operand.Mem.SEG_NONE;
        }

        private static String segmentText(int seg) {
            return seg == Operand.Mem.SEG_FS ? "%fs:" : seg == Operand.Mem.SEG_GS ? "%gs:" : "";
        }

        // ---- operands

        private Operand.Gpr gpr(int n, int size) {
            if (size == 1) {
                if (rex == 0 && n >= 4 && n < 8) {
                    return new Operand.Gpr(n - 4, 1, true); // %ah %ch %dh %bh
                }
                if ((n & 4) != 0) {
                    usedRex = true;
                }
            }
            return new Operand.Gpr(n, size, false);
        }

        /** The register in an opcode's low three bits (50+r, 58+r, 90+r, B0+r, B8+r), extended by REX.B. */
        private Operand.Gpr opcodeReg(int op, int size) {
            usedB = true;
            return gpr((op & 7) | (rex & 1) << 3, size);
        }

        /** Reads ModRM, and SIB and displacement when it addresses memory. */
        private void modrm() {
            int m = fetch();
            mod = m >>> 6;
            reg = (m >>> 3) & 7;
            rm = m & 7;
            if (mod != 3) {
                memory();
            }
        }

        private Operand.Gpr regOperand(int size) {
            usedR = true;
            return gpr(reg | (rex & 4) << 1, size);
        }

        private Operand rmOperand(int size) {
            if (mod != 3) {
                return mem;
            }
            usedB = true;
            return gpr(rm | (rex & 1) << 3, size);
        }

        private boolean rmIsMemory() {
            return mod != 3;
        }

        /**
         * The memory operand after a ModRM with mod != 3, and its text as objdump prints it
         * (i386-dis.c OP_E_memory: %riz for a SIB without index where needed, an unsigned
         * absolute address without base or index, a signed displacement otherwise).
         */
        private void memory() {
            usedB = true;
            int base3 = rm;
            boolean sib = false;
            int scaleBits = 0;
            int index = Operand.Mem.NO_REG;
            if (rm == 4) {
                sib = true;
                int s = fetch();
                scaleBits = s >>> 6;
                usedX = true;
                int i = ((s >>> 3) & 7) | (rex & 2) << 2;
                if (i != 4) {
                    index = i;
                }
                base3 = s & 7;
            }
            int base = base3 | (rex & 1) << 3;
            boolean haveBase = true;
            boolean rip = false;
            long disp = 0;
            switch (mod) {
                case 0 -> {
                    if (base3 == 5) {
                        haveBase = false;
                        rip = !sib;
                        disp = s32();
                    }
                }
                case 1 -> disp = s8();
                default -> disp = s32();
            }
            int seg = segment();
            boolean haveIndex = index != Operand.Mem.NO_REG;
            mem = new Operand.Mem(seg, haveBase ? base : Operand.Mem.NO_REG, index, haveIndex ? 1 << scaleBits : 1,
                    disp, rip);
            StringBuilder t = new StringBuilder(segmentText(seg));
            boolean parens = haveBase || (sib && (haveIndex || scaleBits != 0));
            if (mod != 0 || base3 == 5) {
                t.append(parens || rip ? signedHex(disp) : hex(disp));
                if (rip) {
                    t.append("(%rip)");
                }
            }
            if (parens) {
                t.append('(');
                if (haveBase) {
                    t.append('%').append(RegisterNames.name64(base));
                }
                if (sib && (scaleBits != 0 || haveIndex || (haveBase && base3 != 4))) {
                    t.append(",%").append(haveIndex ? RegisterNames.name64(index) : "riz").append(',')
                            .append(1 << scaleBits);
                }
                t.append(')');
            }
            memText = t.toString();
        }

        private static Operand.Imm imm(int size, long value) {
            return new Operand.Imm(size == 8 ? value : value & ((1L << (8 * size)) - 1));
        }

        /** An immediate of the operand size: imm16 with 66, else imm32 (sign-extended for 64-bit operations). */
        private long immZ(int size) {
            return size == 2 ? u16() : s32();
        }

        /** objdump's size suffix, printed when no register operand tells the size. */
        private static String suffix(int size, boolean memory) {
            if (!memory) {
                return "";
            }
            return switch (size) {
                case 1 -> "b";
                case 2 -> "w";
                case 4 -> "l";
                default -> "q";
            };
        }

        // ---- the one-byte opcode map

        private Decoded oneByte(int op) {
            if (op < 0x40) {
                if ((op & 7) < 6) {
                    return aluForm(op);
                }
                throw undefinedOpcode(); // 06 07 0e 16 17 1e 1f 27 2f 37 3f (26 2e 36 3e are prefixes)
            }
            if (op >= 0x50 && op <= 0x57) {
                return finish(Op.PUSH, stackSize(), null, "push", opcodeReg(op, stackSize()));
            }
            if (op >= 0x58 && op <= 0x5f) {
                return finish(Op.POP, stackSize(), null, "pop", opcodeReg(op, stackSize()));
            }
            if (op >= 0x70 && op <= 0x7f) {
                return jcc(op & 0xf, s8());
            }
            if (op >= 0x91 && op <= 0x97) {
                int size = operandSize();
                return finish(Op.XCHG, size, null, "xchg", gpr(0, size), opcodeReg(op, size));
            }
            if (op >= 0xb0 && op <= 0xb7) {
                Operand.Gpr dst = opcodeReg(op, 1);
                return finish(Op.MOV, 1, null, "mov", imm(1, fetch()), dst);
            }
            if (op >= 0xb8 && op <= 0xbf) {
                int size = operandSize();
                Operand.Gpr dst = opcodeReg(op, size);
                long v = size == 8 ? s64() : size == 2 ? u16() : u32();
                return finish(Op.MOV, size, null, size == 8 ? "movabs" : "mov", imm(size, v), dst);
            }
            switch (op) {
                case 0x63 -> {
                    modrm();
                    if (!rexW()) {
                        throw notModelled("movsxd to a 32-bit register (" + opcodeText() + ")");
                    }
                    usedW = true;
                    if (last66 >= 0 && !rmIsMemory()) {
                        prefixUsed[last66] = true; // objdump: a register movslq consumes it although REX.W overrides it
                    }
                    Operand src = rmOperand(4);
                    return finish(Op.MOVSX, 8, 4, null, "movslq", src, regOperand(8));
                }
                case 0x68 -> {
                    int size = stackSize();
                    return finish(Op.PUSH, size, null, size == 2 ? "pushw" : "push", imm(size, immZ(size)));
                }
                case 0x6a -> {
                    int size = stackSize();
                    return finish(Op.PUSH, size, null, size == 2 ? "pushw" : "push", imm(size, s8()));
                }
                case 0x80, 0x81, 0x83 -> {
                    modrm();
                    int size = op == 0x80 ? 1 : operandSize();
                    Operand dst = rmOperand(size);
                    long v = op == 0x81 ? immZ(size) : s8();
                    lockable = rmIsMemory() && reg != 7;
                    return finish(ALU[reg], size, null, ALU_NAMES[reg] + suffix(size, rmIsMemory()), imm(size, v), dst);
                }
                case 0x84, 0x85 -> {
                    modrm();
                    int size = op == 0x84 ? 1 : operandSize();
                    Operand dst = rmOperand(size);
                    return finish(Op.TEST, size, null, "test", regOperand(size), dst);
                }
                case 0x86, 0x87 -> {
                    modrm();
                    int size = op == 0x86 ? 1 : operandSize();
                    Operand other = rmOperand(size);
                    lockable = rmIsMemory();
                    return finish(Op.XCHG, size, null, "xchg", regOperand(size), other);
                }
                case 0x88, 0x89, 0x8a, 0x8b -> {
                    modrm();
                    int size = (op & 1) == 0 ? 1 : operandSize();
                    Operand r = rmOperand(size);
                    Operand.Gpr g = regOperand(size);
                    return op < 0x8a ? finish(Op.MOV, size, null, "mov", g, r) : finish(Op.MOV, size, null, "mov", r, g);
                }
                case 0x8c, 0x8e -> {
                    return movSreg(op);
                }
                case 0x8d -> {
                    modrm();
                    if (!rmIsMemory()) {
                        throw undefined("lea with a register operand (" + opcodeText() + ")");
                    }
                    int size = operandSize();
                    return finish(Op.LEA, size, null, "lea", mem, regOperand(size));
                }
                case 0x8f -> {
                    modrm();
                    if (reg != 0) {
                        throw undefinedOpcode();
                    }
                    int size = stackSize();
                    return finish(Op.POP, size, null, "pop" + (size == 2 ? suffix(size, rmIsMemory()) : ""),
                            rmOperand(size));
                }
                case 0x90 -> {
                    return nop90();
                }
                case 0x98 -> throw unmodelledOpcode("cbw/cwde/cdqe");
                case 0x99 -> throw unmodelledOpcode("cwd/cdq/cqo");
                case 0x9b -> throw unmodelledOpcode("fwait");
                case 0x9c, 0x9d -> {
                    int size = stackSize();
                    String name = (op == 0x9c ? "pushf" : "popf") + (size == 2 ? "w" : "");
                    return finish(op == 0x9c ? Op.PUSHF : Op.POPF, size, null, name);
                }
                case 0x9e, 0x9f -> throw unmodelledOpcode(op == 0x9e ? "sahf" : "lahf");
                case 0xa0, 0xa1, 0xa2, 0xa3 -> {
                    int size = (op & 1) == 0 ? 1 : operandSize();
                    long at = s64();
                    int seg = segment();
                    mem = new Operand.Mem(seg, Operand.Mem.NO_REG, Operand.Mem.NO_REG, 1, at, false);
                    memText = segmentText(seg) + hex(at);
                    Operand.Gpr acc = gpr(0, size);
                    return op < 0xa2 ? finish(Op.MOV, size, null, "movabs", mem, acc)
                            : finish(Op.MOV, size, null, "movabs", acc, mem);
                }
                case 0xa4, 0xa5, 0xa6, 0xa7, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf ->
                    throw unmodelledOpcode("a string instruction");
                case 0xa8 -> {
                    return finish(Op.TEST, 1, null, "test", imm(1, fetch()), gpr(0, 1));
                }
                case 0xa9 -> {
                    int size = operandSize();
                    return finish(Op.TEST, size, null, "test", imm(size, immZ(size)), gpr(0, size));
                }
                case 0xc0, 0xc1, 0xd0, 0xd1, 0xd2, 0xd3 -> {
                    return shift(op);
                }
                case 0xc2, 0xc3 -> {
                    int size = stackSize();
                    repzAllowed = true; // "repz ret": the AMD branch-predictor idiom; a CPU ignores the f3
                    String name = size == 2 ? "retw" : "ret";
                    return op == 0xc2 ? finish(Op.RET, size, null, name, new Operand.Imm(u16()))
                            : finish(Op.RET, size, null, name);
                }
                case 0xc4, 0xc5 -> throw unmodelledOpcode("a VEX-encoded instruction");
                case 0xc6, 0xc7 -> {
                    modrm();
                    if (reg != 0) {
                        if (reg == 7 && mod == 3 && rm == 0) {
                            throw unmodelledOpcode(op == 0xc6 ? "xabort" : "xbegin");
                        }
                        throw undefinedOpcode();
                    }
                    int size = op == 0xc6 ? 1 : operandSize();
                    Operand dst = rmOperand(size);
                    long v = op == 0xc6 ? fetch() : immZ(size);
                    return finish(Op.MOV, size, null, "mov" + suffix(size, rmIsMemory()), imm(size, v), dst);
                }
                case 0xc8 -> throw unmodelledOpcode("enter");
                case 0xc9 -> {
                    int size = stackSize();
                    return finish(Op.LEAVE, size, null, size == 2 ? "leavew" : "leave");
                }
                case 0xca, 0xcb -> throw unmodelledOpcode("far ret");
                case 0xcc -> {
                    shiftByOne = true; // the vector is implied: objdump prints "int3"
                    return finish(Op.INT, 4, null, "int3", new Operand.Imm(3));
                }
                case 0xcd -> {
                    return finish(Op.INT, 4, null, "int", new Operand.Imm(fetch()));
                }
                case 0xcf -> {
                    if (rexW()) {
                        usedW = true;
                        return finish(Op.IRET, 8, null, "iretq");
                    }
                    if (last66 >= 0) {
                        throw notModelled("iretw (" + Decoded.hex(bytes()) + ")");
                    }
                    return finish(Op.IRET, 4, null, "iret");
                }
                case 0xd7 -> throw unmodelledOpcode("xlat");
                case 0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf -> throw unmodelledOpcode("x87");
                case 0xe0, 0xe1, 0xe2 -> throw unmodelledOpcode("loop");
                case 0xe3 -> throw unmodelledOpcode("jrcxz");
                case 0xe4, 0xe5, 0xe6, 0xe7, 0xec, 0xed, 0xee, 0xef -> throw unmodelledOpcode("in/out");
                case 0xe8 -> {
                    return branch(Op.CALL, null, "call", s32());
                }
                case 0xe9 -> {
                    return branch(Op.JMP, null, "jmp", s32());
                }
                case 0xeb -> {
                    return branch(Op.JMP, null, "jmp", s8());
                }
                case 0xf1 -> {
                    return finish(Op.INT1, 4, null, "int1");
                }
                case 0xf4 -> {
                    return finish(Op.HLT, 4, null, "hlt");
                }
                case 0xf5 -> {
                    return finish(Op.CMC, 4, null, "cmc");
                }
                case 0xf6, 0xf7 -> {
                    return group3(op);
                }
                case 0xf8 -> {
                    return finish(Op.CLC, 4, null, "clc");
                }
                case 0xf9 -> {
                    return finish(Op.STC, 4, null, "stc");
                }
                case 0xfa -> {
                    return finish(Op.CLI, 4, null, "cli");
                }
                case 0xfb -> {
                    return finish(Op.STI, 4, null, "sti");
                }
                case 0xfc -> {
                    return finish(Op.CLD, 4, null, "cld");
                }
                case 0xfd -> {
                    return finish(Op.STD, 4, null, "std");
                }
                case 0xfe -> {
                    modrm();
                    if (reg > 1) {
                        throw undefinedOpcode();
                    }
                    lockable = rmIsMemory();
                    return finish(reg == 0 ? Op.INC : Op.DEC, 1, null, (reg == 0 ? "inc" : "dec") + suffix(1, rmIsMemory()),
                            rmOperand(1));
                }
                case 0xff -> {
                    return group5();
                }
                case 0x69, 0x6b -> throw unmodelledOpcode("imul");
                case 0x6c, 0x6d, 0x6e, 0x6f -> throw unmodelledOpcode("ins/outs");
                default -> throw undefinedOpcode(); // 60-62, 82, 9a, c4/c5 above, ce, d4-d6, ea
            }
        }

        /** 00-3d: op r/m,reg; op reg,r/m; op acc,imm. */
        private Decoded aluForm(int op) {
            int k = op >>> 3;
            Op alu = ALU[k];
            String name = ALU_NAMES[k];
            switch (op & 7) {
                case 0, 1 -> {
                    modrm();
                    int size = (op & 1) == 0 ? 1 : operandSize();
                    Operand dst = rmOperand(size);
                    lockable = rmIsMemory() && alu != Op.CMP;
                    return finish(alu, size, null, name, regOperand(size), dst);
                }
                case 2, 3 -> {
                    modrm();
                    int size = (op & 1) == 0 ? 1 : operandSize();
                    Operand src = rmOperand(size);
                    return finish(alu, size, null, name, src, regOperand(size));
                }
                case 4 -> {
                    return finish(alu, 1, null, name, imm(1, fetch()), gpr(0, 1));
                }
                default -> {
                    int size = operandSize();
                    return finish(alu, size, null, name, imm(size, immZ(size)), gpr(0, size));
                }
            }
        }

        /**
         * 90: nop, pause (f3 90), xchg %ax,%ax (66 90), xchg %eax,%r8d (41 90). With a 66 prefix
         * it is an xchg of the accumulator with itself (66 48 90: xchg %rax,%rax), and objdump
         * counts the 66 as used even when REX.W overrides it.
         */
        private Decoded nop90() {
            if ((rex & 1) != 0) {
                int size = operandSize();
                if (last66 >= 0) {
                    prefixUsed[last66] = true;
                }
                return finish(Op.XCHG, size, null, "xchg", gpr(0, size), opcodeReg(0x90, size));
            }
            if (lastF3 >= 0) {
                prefixUsed[lastF3] = true;
                return finish(Op.NOP, 4, null, "pause");
            }
            if (last66 >= 0) {
                int size = operandSize();
                prefixUsed[last66] = true;
                return finish(Op.XCHG, size, null, "xchg", gpr(0, size), gpr(0, size));
            }
            return finish(Op.NOP, 4, null, "nop");
        }

        /** c0/c1 (count imm8), d0/d1 (count 1), d2/d3 (count %cl). */
        private Decoded shift(int op) {
            modrm();
            Op s = SHIFTS[reg];
            if (s == null) {
                throw notModelled(SHIFT_NAMES[reg] + " (" + opcodeText() + ")");
            }
            int size = (op & 1) == 0 ? 1 : operandSize();
            Operand dst = rmOperand(size);
            Operand count;
            if (op <= 0xc1) {
                count = new Operand.Imm(fetch());
            } else if (op <= 0xd1) {
                count = new Operand.Imm(1);
                shiftByOne = true;
            } else {
                count = gpr(1, 1);
            }
            return finish(s, size, null, SHIFT_NAMES[reg] + suffix(size, rmIsMemory()), count, dst);
        }

        /** f6/f7: test imm (/0, and its alias /1), not, neg; mul/imul/div/idiv are not modelled. */
        private Decoded group3(int op) {
            modrm();
            int size = op == 0xf6 ? 1 : operandSize();
            Operand r = rmOperand(size);
            String sfx = suffix(size, rmIsMemory());
            switch (reg) {
                case 0, 1 -> {
                    long v = op == 0xf6 ? fetch() : immZ(size);
                    return finish(Op.TEST, size, null, "test" + sfx, imm(size, v), r);
                }
                case 2, 3 -> {
                    lockable = rmIsMemory();
                    return finish(reg == 2 ? Op.NOT : Op.NEG, size, null, (reg == 2 ? "not" : "neg") + sfx, r);
                }
                default -> throw notModelled(new String[] {"mul", "imul", "div", "idiv"}[reg - 4] + " ("
                        + opcodeText() + ")");
            }
        }

        /** ff: inc, dec, call/jmp indirect, push r/m; far call/jmp are not modelled. */
        private Decoded group5() {
            modrm();
            switch (reg) {
                case 0, 1 -> {
                    int size = operandSize();
                    lockable = rmIsMemory();
                    return finish(reg == 0 ? Op.INC : Op.DEC, size, null, (reg == 0 ? "inc" : "dec")
                            + suffix(size, rmIsMemory()), rmOperand(size));
                }
                case 2, 4 -> {
                    if (last66 >= 0 && !rexW()) {
                        throw notModelled("a 16-bit indirect " + (reg == 2 ? "call" : "jmp") + " (" + Decoded.hex(bytes()) + ")");
                    }
                    indirect = true;
                    return finish(reg == 2 ? Op.CALL : Op.JMP, 8, null, reg == 2 ? "call" : "jmp", rmOperand(8));
                }
                case 6 -> {
                    int size = stackSize();
                    return finish(Op.PUSH, size, null, "push" + (size == 2 ? suffix(size, rmIsMemory()) : ""),
                            rmOperand(size));
                }
                case 3, 5 -> throw unmodelledOpcode("far " + (reg == 3 ? "call" : "jmp"));
                default -> throw undefinedOpcode();
            }
        }

        private Decoded jcc(int cc, long displacement) {
            boolean cs = false;
            boolean ds = false;
            for (int i = 0; i < prefixCount; i++) {
                cs |= prefixes[i] == 0x2e;
                ds |= prefixes[i] == 0x3e;
            }
            if (cs != ds) { // a branch hint: objdump prints ",pn" (cs) or ",pt" (ds)
                hint = cs ? ",pn" : ",pt";
                prefixUsed[lastSeg] = true;
            }
            return branch(Op.JCC, CONDS[cc], "j" + CC[cc], displacement);
        }

        private Decoded branch(Op op, Cond cond, String name, long displacement) {
            if (last66 >= 0 && !rexW()) {
                throw notModelled("an operand-size prefix on a near branch (" + Decoded.hex(bytes()) + ")");
            }
            direct = true;
            rel = displacement;
            return finish(op, 8, cond, name);
        }

        // ---- the two-byte opcode map (0f xx)

        private Decoded twoByte(int op) {
            if (op >= 0x40 && op <= 0x4f) {
                modrm();
                int size = operandSize();
                Operand src = rmOperand(size);
                return finish(Op.CMOVCC, size, CONDS[op & 0xf], "cmov" + CC[op & 0xf], src, regOperand(size));
            }
            if (op >= 0x80 && op <= 0x8f) {
                return jcc(op & 0xf, s32());
            }
            if (op >= 0x90 && op <= 0x9f) {
                modrm(); // ModRM.reg is ignored
                return finish(Op.SETCC, 1, CONDS[op & 0xf], "set" + CC[op & 0xf], rmOperand(1));
            }
            switch (op) {
                case 0x01 -> {
                    int m = fetch();
                    return switch (m) {
                        case 0xf8 -> finish(Op.SWAPGS, 4, null, "swapgs");
                        case 0xca -> finish(Op.CLAC, 4, null, "clac");
                        case 0xcb -> finish(Op.STAC, 4, null, "stac");
                        default -> throw unmodelledOpcode("a system instruction of group 7");
                    };
                }
                case 0x00 -> {
                    return group6();
                }
                case 0x02, 0x03 -> {
                    // lar/lsl: objdump prints a register source in the operand size
                    modrm();
                    int size = operandSize();
                    Operand src = rmOperand(size);
                    return finish(op == 0x02 ? Op.LAR : Op.LSL, size, null, op == 0x02 ? "lar" : "lsl", src,
                            regOperand(size));
                }
                case 0x05 -> {
                    return finish(Op.SYSCALL, 4, null, "syscall");
                }
                case 0x07 -> {
                    if (rexW()) {
                        usedW = true;
                        return finish(Op.SYSRET, 8, null, "sysretq");
                    }
                    return finish(Op.SYSRET, 4, null, "sysretl");
                }
                case 0x0b -> {
                    return finish(Op.UD2, 4, null, "ud2");
                }
                case 0x1e -> {
                    // f3 0f 1e fa: endbr64, a NOP unless CET indirect-branch tracking is on
                    if (lastF3 >= 0 && fetch() == 0xfa) {
                        prefixUsed[lastF3] = true;
                        return finish(Op.NOP, 4, null, "endbr64");
                    }
                    throw unmodelledOpcode("0f 1e without f3 ... fa (a reserved hint nop or another CET instruction)");
                }
                case 0x1f -> {
                    modrm();
                    if (reg != 0) {
                        throw unmodelledOpcode("a reserved hint nop");
                    }
                    int size = operandSize();
                    return finish(Op.NOP, size, null, "nop" + suffix(size, rmIsMemory()), rmOperand(size));
                }
                case 0x20, 0x22 -> {
                    return movCr(op);
                }
                case 0x30 -> {
                    return finish(Op.WRMSR, 4, null, "wrmsr");
                }
                case 0x34 -> {
                    return finish(Op.SYSENTER, 4, null, "sysenter");
                }
                case 0x35 -> {
                    if (rexW()) {
                        usedW = true;
                        return finish(Op.SYSEXIT, 8, null, "sysexitq");
                    }
                    return finish(Op.SYSEXIT, 4, null, "sysexitl");
                }
                case 0x32 -> {
                    return finish(Op.RDMSR, 4, null, "rdmsr");
                }
                case 0xa3, 0xab, 0xb3, 0xbb -> {
                    int k = (op >>> 3) & 3;
                    modrm();
                    int size = operandSize();
                    Operand base = rmOperand(size);
                    lockable = rmIsMemory() && k != 0;
                    return finish(BIT_TESTS[k], size, null, BIT_TEST_NAMES[k], regOperand(size), base);
                }
                case 0xae -> {
                    return group15();
                }
                case 0xc7 -> {
                    modrm();
                    if (lastF3 >= 0 && mod == 3 && reg == 7 && last66 < 0) {
                        prefixUsed[lastF3] = true;
                        return finish(Op.RDPID, 8, null, "rdpid", rmOperand(8));
                    }
                    throw unmodelledOpcode("cmpxchg8b/16b, rdrand, rdseed and the other group 9 instructions");
                }
                case 0xb6, 0xb7, 0xbe, 0xbf -> {
                    modrm();
                    int src = (op & 1) == 0 ? 1 : 2;
                    int size = operandSize();
                    if (size <= src) {
                        throw notModelled("a 16-bit movzx/movsx from 16 bits (" + opcodeText() + ")");
                    }
                    Operand from = rmOperand(src);
                    boolean zero = op < 0xb8;
                    String name = (zero ? "movz" : "movs") + suffix(src, true) + suffix(size, true);
                    return finish(zero ? Op.MOVZX : Op.MOVSX, size, src, null, name, from, regOperand(size));
                }
                case 0xba -> {
                    modrm();
                    if (reg < 4) {
                        throw undefinedOpcode();
                    }
                    int k = reg - 4;
                    int size = operandSize();
                    Operand base = rmOperand(size);
                    lockable = rmIsMemory() && k != 0;
                    return finish(BIT_TESTS[k], size, null, BIT_TEST_NAMES[k] + suffix(size, rmIsMemory()),
                            new Operand.Imm(fetch()), base);
                }
                case 0x04, 0x0a, 0x0c, 0x24, 0x25, 0x26, 0x27, 0x36, 0x39, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x7a, 0x7b ->
                    throw undefinedOpcode();
                case 0xb9, 0xff -> throw undefined("opcode " + opcodeText() + " (" + (op == 0xff ? "ud0" : "ud1")
                        + ") is defined to be invalid");
                default -> throw unmodelledOpcode("not an instruction entrysim knows");
            }
        }

        /** 0f 20 (mov %crN,%reg) and 0f 22 (mov %reg,%crN): ModRM.mod is ignored, always registers. */
        private Decoded movCr(int op) {
            int m = fetch();
            reg = (m >>> 3) & 7;
            rm = m & 7;
            mod = 3;
            usedR = true;
            int n = reg | (rex & 4) << 1;
            if (n != 0 && n != 2 && n != 3 && n != 4 && n != 8) {
                throw undefined("%cr" + n + " does not exist (" + opcodeText() + ")");
            }
            Operand.Gpr g = (Operand.Gpr) rmOperand(8);
            Operand.Cr cr = new Operand.Cr(n);
            return op == 0x20 ? finish(Op.MOV, 8, null, "mov", cr, g) : finish(Op.MOV, 8, null, "mov", g, cr);
        }

        /**
         * 8c (mov %sreg,r/m) and 8e (mov r/m,%sreg): a register in the operand size (66: 16 bits,
         * REX.W: 64), memory always a word; ModRM.reg 6 and 7 name no segment register.
         */
        private Decoded movSreg(int op) {
            modrm();
            if (reg > 5) {
                throw undefinedOpcode();
            }
            Operand.Sreg s = new Operand.Sreg(reg);
            int size = rmIsMemory() ? 2 : operandSize();
            Operand other = rmOperand(size);
            if (op == 0x8e && !rmIsMemory() && size == 2) {
                throw notModelled("mov to a segment register with an operand-size prefix (" + Decoded.hex(bytes()) + ")");
            }
            return op == 0x8c ? finish(Op.MOV, size, null, "mov", s, other) : finish(Op.MOV, size, null, "mov", other, s);
        }

        /** 0f 00: verw (/5); the other group 6 instructions (sldt, str, lldt, ltr, verr) are not modelled. */
        private Decoded group6() {
            modrm();
            if (reg != 5) {
                throw reg > 5 ? undefinedOpcode() : unmodelledOpcode("a system instruction of group 6");
            }
            if (last66 >= 0) {
                throw notModelled("verw with an operand-size prefix (" + Decoded.hex(bytes()) + ")");
            }
            return finish(Op.VERW, 2, null, "verw", rmOperand(2));
        }

        /** 0f ae: lfence/mfence/sfence (register forms), f3: rd/wr fs/gs base. */
        private Decoded group15() {
            int m = fetch();
            mod = m >>> 6;
            reg = (m >>> 3) & 7;
            rm = m & 7;
            if (last66 >= 0 || lastF2 >= 0) {
                throw unmodelledOpcode("a group 15 instruction with a 66 or f2 prefix");
            }
            if (mod != 3) {
                throw unmodelledOpcode("fxsave, clflush and other group 15 memory forms");
            }
            if (lastF3 >= 0) {
                if (reg > 3) {
                    throw unmodelledOpcode(reg == 4 ? "ptwrite" : "a group 15 instruction with f3");
                }
                prefixUsed[lastF3] = true;
                int size = rexW() ? 8 : 4;
                usedW = true;
                String name = new String[] {"rdfsbase", "rdgsbase", "wrfsbase", "wrgsbase"}[reg];
                Op o = new Op[] {Op.RDFSBASE, Op.RDGSBASE, Op.WRFSBASE, Op.WRGSBASE}[reg];
                return finish(o, size, null, name, rmOperand(size));
            }
            // objdump (and the SDM's encodings) take lfence with any r/m, mfence and sfence with r/m 0 only.
            if (reg == 5) {
                return finish(Op.LFENCE, 4, null, "lfence");
            }
            if (reg == 6 && rm == 0) {
                return finish(Op.MFENCE, 4, null, "mfence");
            }
            if (reg == 7 && rm == 0) {
                return finish(Op.SFENCE, 4, null, "sfence");
            }
            if (reg >= 6) {
                throw undefinedOpcode();
            }
            throw unmodelledOpcode("a group 15 register form");
        }

        // ---- the result

        private Decoded finish(Op op, int size, Cond cond, String mnemonic, Operand... ops) {
            return finish(op, size, size, cond, mnemonic, ops);
        }

        private Decoded finish(Op op, int size, int srcSize, Cond cond, String mnemonic, Operand... ops) {
            long next = address + len;
            long targetAddress = direct ? next + rel : Insn.NO_TARGET_ADDRESS;
            long ripTarget = 0;
            boolean rip = false;
            for (int i = 0; i < ops.length; i++) {
                if (ops[i] instanceof Operand.Mem m && m.ripRelative()) {
                    ripTarget = next + m.disp();
                    rip = true;
                    ops[i] = new Operand.Mem(m.seg(), Operand.Mem.NO_REG, Operand.Mem.NO_REG, 1, ripTarget, true);
                }
            }
            String text = text(mnemonic, ops, targetAddress, rip, ripTarget);
            if (lastLock >= 0 && !lockable) {
                throw undefined("lock prefix on `" + text + "' (only add, adc, and, btc, btr, bts, dec, inc, neg, not, "
                        + "or, sbb, sub, xor and xchg with a memory destination take it)");
            }
            if (lastF3 >= 0 && !prefixUsed[lastF3] && !repzAllowed) {
                throw notModelled("a rep (f3) prefix on `" + text + "'");
            }
            if (lastF2 >= 0) {
                throw notModelled("a repne/bnd (f2) prefix on `" + text + "'");
            }
            Insn insn = new Insn(op, size, srcSize, cond, ops, -1, targetAddress, address, next, text, null, null);
            String problem = InsnForms.problem(insn, 0);
            if (problem != null) { // a disagreement between this decoder and the form table
                throw notModelled("`" + text + "' (" + problem + ")");
            }
            return new Decoded.Instruction(insn, bytes());
        }

        /** The instruction as objdump -d prints it: unused prefixes as words, mnemonic padded to 6, operands. */
        private String text(String mnemonic, Operand[] ops, long targetAddress, boolean rip, long ripTarget) {
            StringBuilder t = new StringBuilder(32);
            for (int i = 0; i < prefixCount; i++) {
                if (!prefixUsed[i]) {
                    t.append(prefixName(i)).append(' ');
                }
            }
            if (rexUnused()) {
                t.append(rexName(rex)).append(' ');
            }
            t.append(mnemonic).append(hint);
            StringBuilder o = new StringBuilder();
            if (direct) {
                o.append(hex(targetAddress));
            }
            for (int i = shiftByOne ? 1 : 0; i < ops.length; i++) {
                if (o.length() > 0) {
                    o.append(',');
                }
                if (indirect) {
                    o.append('*');
                }
                o.append(operandText(ops[i]));
            }
            if (o.length() > 0) {
                while (t.length() < 6) {
                    t.append(' ');
                }
                t.append(' ').append(o);
            }
            if (rip) {
                t.append("        # ").append(hex(ripTarget));
            }
            return t.toString();
        }

        private String prefixName(int i) {
            return switch (prefixes[i]) {
                case 0x66 -> "data16";
                case 0x67 -> "addr32";
                case 0xf0 -> "lock";
                case 0xf2 -> "repnz";
                case 0xf3 -> "repz";
                case 0x26 -> "es";
                case 0x2e -> "cs";
                case 0x36 -> "ss";
                case 0x3e -> indirect && i == lastSeg && i == prefixCount - 1 ? "notrack" : "ds";
                case 0x64 -> "fs";
                default -> "gs";
            };
        }

        /** objdump prints the REX prefix unless the instruction used every bit it has set. */
        private boolean rexUnused() {
            if (rex == 0) {
                return false;
            }
            int used = ((usedW ? 8 : 0) | (usedR ? 4 : 0) | (usedX ? 2 : 0) | (usedB ? 1 : 0)) & rex;
            int usedBits = used != 0 || usedRex ? 0x40 | used : 0;
            return usedBits != rex;
        }

        private static String rexName(int rex) {
            if (rex == 0x40) {
                return "rex";
            }
            return "rex." + ((rex & 8) != 0 ? "W" : "") + ((rex & 4) != 0 ? "R" : "") + ((rex & 2) != 0 ? "X" : "")
                    + ((rex & 1) != 0 ? "B" : "");
        }

        private String operandText(Operand o) {
            if (o instanceof Operand.Gpr g) {
                return "%" + g.name();
            }
            if (o instanceof Operand.Imm i) {
                return "$" + hex(i.value());
            }
            if (o instanceof Operand.Cr c) {
                return "%cr" + c.n();
            }
            if (o instanceof Operand.Sreg s) {
                return "%" + s.name();
            }
            return memText;
        }
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    static String signedHex(long v) {
        return v < 0 ? "-0x" + Long.toHexString(-v) : "0x" + Long.toHexString(v);
    }
}
