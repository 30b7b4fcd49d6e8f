package io.entrysim.diff;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random instruction lines for the decoder's round trip, beside {@link ProgramGenerator}'s
 * (which must run natively in user mode): the system instructions, every memory-operand shape
 * (no base, no index, %rsp/%rbp/%r12/%r13 bases, every index, disp8/disp32 edges, segment
 * overrides, RIP-relative labels), the short forms gas picks (accumulator, imm8, D0/D1 shifts,
 * 90+r xchg, B0/B8+r mov), direct branches to labels near and far, and indirect ones. Nothing here
 * is ever executed, so registers and addresses are arbitrary.
 */
final class EncodingVariety {
    private static final String[] ALU = {"add", "sub", "adc", "sbb", "and", "or", "xor", "cmp"};
    private static final String[] LOCKABLE = {"add", "sub", "adc", "sbb", "and", "or", "xor"};
    private static final String[] SHIFTS = {"shl", "sal", "shr", "sar", "rol", "ror"};
    private static final String[] BIT_TESTS = {"bt", "bts", "btr", "btc"};
    private static final String[] UNARY = {"inc", "dec", "neg", "not"};
    private static final String[] CONDITIONS = {"o", "no", "b", "c", "nae", "ae", "nc", "nb", "e", "z", "ne", "nz",
        "be", "na", "a", "nbe", "s", "ns", "p", "pe", "np", "po", "l", "nge", "ge", "nl", "le", "ng", "g", "nle"};
    private static final String[] SEGMENTS = {"%gs:", "%gs:", "%gs:", "%fs:", "%es:", "%cs:", "%ss:", "%ds:"};
    private static final String[] OPERANDLESS = {"syscall", "sysretq", "sysretl", "sysenter", "sysexitl", "sysexitq", "iretq", "iretl", "swapgs", "rdmsr",
        "wrmsr", "cli", "sti", "hlt", "ud2", "int1", "nop", "pause", "lfence", "mfence", "sfence", "clac", "stac", "cmc", "clc",
        "stc", "cld", "std", "pushf", "pushfq", "pushfw", "popf", "popfq", "popfw", "ret", "retw"};
    private static final int[] CONTROL_REGISTERS = {0, 2, 3, 4, 8};
    private static final long[] EDGES = {0, 1, 2, 0x7f, 0x80, 0xff, 0x100, -1, -2, -0x80, -0x81, 0x7fff, 0x8000, 0xffff,
        -0x8000, -0x8001, 0x7fffffffL, -0x80000000L, 0x12345678};

    private final SplittableRandom rnd;
    private final List<String> lines = new ArrayList<>();
    private int labels;
    private int maxLabelUsed = -1;
    private int instructions;

    EncodingVariety(SplittableRandom rnd) {
        this.rnd = rnd;
    }

    /** At least {@code n} instruction lines (with label lines between them), every used label defined. */
    static List<String> lines(SplittableRandom rnd, int n) {
        EncodingVariety v = new EncodingVariety(rnd);
        while (v.instructions < n) {
            if (v.rnd.nextInt(8) == 0) {
                v.lines.add(".Lv" + v.labels++ + ":");
            }
            v.lines.add(v.instruction());
            v.instructions++;
        }
        while (v.labels <= v.maxLabelUsed) {
            v.lines.add(".Lv" + v.labels++ + ":");
        }
        v.lines.add("nop");
        return v.lines;
    }

    private int r(int n) {
        return rnd.nextInt(n);
    }

    private <T> T pick(T[] a) {
        return a[r(a.length)];
    }

    private String label() {
        int k = r(labels + 8);
        maxLabelUsed = Math.max(maxLabelUsed, k);
        return ".Lv" + k;
    }

    // ---- operands

    private static String reg(int n, int size) {
        return "%" + Operands.name(n, size, false);
    }

    /** A register of {@code size}; {@code legacy}: no REX needed (so %ah..%bh may appear). */
    private String reg(int size, boolean legacy) {
        if (size == 1 && legacy) {
            int n = r(8);
            return n < 4 ? reg(n, 1) : "%" + Operands.name(n - 4, 1, true);
        }
        return reg(r(legacy ? 8 : 16), size);
    }

    private int anySize() {
        return 1 << r(4);
    }

    private static char suffix(int size) {
        return Operands.suffix(size);
    }

    private String disp() {
        return switch (r(6)) {
            case 0 -> "";
            case 1 -> "0";
            case 2, 3 -> signed(EDGES[r(EDGES.length)]);
            default -> signed(rnd.nextInt());
        };
    }

    private String signed(long v) {
        return v < 0 ? "-0x" + Long.toHexString(-v) : r(2) == 0 ? Long.toString(v) : "0x" + Long.toHexString(v);
    }

    /** A memory operand of any shape; {@code legacy}: base and index below %r8. */
    private String mem(boolean legacy) {
        String seg = r(6) == 0 ? pick(SEGMENTS) : "";
        int shape = r(12);
        if (shape == 0) {
            return seg + signed(r(2) == 0 ? EDGES[r(EDGES.length)] : rnd.nextInt()); // absolute
        }
        if (shape == 1) {
            return seg + label() + "(%rip)";
        }
        int regs = legacy ? 8 : 16;
        boolean base = shape != 2;
        boolean index = shape == 2 || r(2) == 0;
        StringBuilder m = new StringBuilder(seg).append(base ? disp() : signed(rnd.nextInt(1 << 16) - (1 << 15)));
        m.append('(');
        if (base) {
            m.append(reg(r(regs), 8));
        }
        if (index) {
            int i;
            do {
                i = r(regs);
            } while (i == 4);
            m.append(',').append(reg(i, 8)).append(',').append(1 << r(4));
        }
        return m.append(')').toString();
    }

    private long imm(int size) {
        long v = r(3) == 0 ? EDGES[r(EDGES.length)] : rnd.nextLong();
        return switch (size) {
            case 1 -> r(2) == 0 ? (byte) v : v & 0xff;
            case 2 -> r(2) == 0 ? (short) v : v & 0xffff;
            case 4 -> r(2) == 0 ? (int) v : v & 0xffff_ffffL;
            default -> (int) v;
        };
    }

    private String immText(long v) {
        return "$" + signed(v);
    }

    // ---- instructions

    private String instruction() {
        int w = r(100);
        if (w < 8) {
            return pick(OPERANDLESS);
        }
        if (w < 12) {
            return system();
        }
        if (w < 30) {
            return alu();
        }
        if (w < 36) {
            return unary();
        }
        if (w < 44) {
            return shift();
        }
        if (w < 50) {
            return bitTest();
        }
        if (w < 60) {
            return mov();
        }
        if (w < 64) {
            return extend();
        }
        if (w < 68) {
            int size = 2 << r(3);
            return "lea" + (r(2) == 0 ? Character.toString(suffix(size)) : "") + " " + mem(false) + ", " + reg(size, false);
        }
        if (w < 72) {
            return xchg();
        }
        if (w < 76) {
            int size = 2 << r(3);
            return "cmov" + pick(CONDITIONS) + " " + (r(2) == 0 ? reg(size, false) : mem(false)) + ", " + reg(size, false);
        }
        if (w < 80) {
            boolean legacy = r(3) == 0;
            return "set" + pick(CONDITIONS) + " " + (r(2) == 0 ? reg(1, legacy) : mem(legacy));
        }
        if (w < 86) {
            return stack();
        }
        if (w < 94) {
            return branch();
        }
        return nop();
    }

    private String system() {
        return switch (r(11)) {
            case 9 -> {
                String s = "%" + pick(new String[] {"es", "cs", "ss", "ds", "fs", "gs"});
                String other = r(2) == 0 ? mem(false) : reg(2 << r(3), false);
                yield r(2) == 0 ? "mov " + s + ", " + other : "mov " + other + ", " + s;
            }
            case 8 -> "rdpid " + reg(8, false);
            case 7 -> pick(new String[] {"leave", "leaveq", "leavew"});
            case 6 -> r(2) == 0 ? "int3" : "int $" + r(256);
            case 5 -> pick(new String[] {"lsl", "lar"}) + " " + (r(2) == 0 ? mem(false) : reg(2, false)) + ", "
                + reg(2 << r(3), false);
            case 4 -> "verw " + (r(2) == 0 ? reg(2, false) : mem(false));
            case 0 -> pick(new String[] {"rdfsbase", "rdgsbase", "wrfsbase", "wrgsbase"}) + " " + reg(4 << r(2), false);
            case 1 -> "mov %cr" + CONTROL_REGISTERS[r(5)] + ", " + reg(r(16), 8);
            case 2 -> "mov " + reg(r(16), 8) + ", %cr" + CONTROL_REGISTERS[r(5)];
            case 3 -> "ret $" + signed(r(2) == 0 ? r(0x10000) : EDGES[r(EDGES.length)] & 0xffff);
            default -> pick(new String[] {"retw", "retq", "iret", "sysret", "pushfq", "popfq"});
        };
    }

    private String alu() {
        String op = pick(ALU);
        int size = anySize();
        boolean legacy = size == 1 && r(3) == 0;
        return switch (r(6)) {
            case 0 -> op + " " + reg(size, legacy) + ", " + reg(size, legacy);
            case 1 -> op + " " + immText(imm(size)) + ", " + reg(size, legacy);
            case 2 -> op + " " + immText(imm(size)) + ", " + reg(0, size); // the accumulator forms
            case 3 -> (r(4) == 0 && !op.equals("cmp") ? "lock " : "") + op + suffix(size) + " " + immText(imm(size))
                + ", " + mem(legacy);
            case 4 -> (r(4) == 0 && !op.equals("cmp") ? "lock " : "") + op + " " + reg(size, legacy) + ", " + mem(legacy);
            default -> op + " " + mem(legacy) + ", " + reg(size, legacy);
        };
    }

    private String unary() {
        String op = pick(UNARY);
        int size = anySize();
        boolean legacy = size == 1 && r(3) == 0;
        if (r(2) == 0) {
            return op + " " + reg(size, legacy);
        }
        return (r(3) == 0 ? "lock " : "") + op + suffix(size) + " " + mem(legacy);
    }

    private String shift() {
        String op = pick(SHIFTS);
        int size = anySize();
        boolean legacy = size == 1 && r(3) == 0;
        boolean toMemory = r(2) == 0;
        String dst = toMemory ? mem(legacy) : reg(size, legacy);
        String name = toMemory ? op + suffix(size) : op;
        return switch (r(4)) {
            case 0 -> name + " " + dst;
            case 1 -> name + " $1, " + dst;
            case 2 -> name + " %cl, " + dst;
            default -> name + " $" + r(256) + ", " + dst;
        };
    }

    private String bitTest() {
        String op = pick(BIT_TESTS);
        int size = 2 << r(3);
        String lock = !op.equals("bt") && r(3) == 0 ? "lock " : "";
        return switch (r(4)) {
            case 0 -> op + " $" + r(256) + ", " + reg(size, false);
            case 1 -> op + " " + reg(size, false) + ", " + reg(size, false);
            case 2 -> lock + op + suffix(size) + " $" + r(256) + ", " + mem(false);
            default -> lock + op + " " + reg(size, false) + ", " + mem(false);
        };
    }

    private String mov() {
        int size = anySize();
        boolean legacy = size == 1 && r(3) == 0;
        return switch (r(9)) {
            case 0 -> "mov " + reg(size, legacy) + ", " + reg(size, legacy);
            case 1 -> "mov " + immText(imm(size)) + ", " + reg(size, legacy);
            case 2 -> "movabs $0x" + Long.toHexString(rnd.nextLong()) + ", " + reg(r(16), 8);
            case 3 -> "mov" + suffix(size) + " " + immText(imm(size)) + ", " + mem(legacy);
            case 4 -> "mov " + reg(size, legacy) + ", " + mem(legacy);
            case 5 -> "mov " + mem(legacy) + ", " + reg(size, legacy);
            case 6 -> {
                String seg = r(3) == 0 ? "%gs:" : "";
                String at = seg + "0x" + Long.toHexString(r(2) == 0 ? rnd.nextLong() : r(1 << 20));
                yield r(2) == 0 ? "movabs " + at + ", " + reg(0, size) : "movabs " + reg(0, size) + ", " + at;
            }
            case 7 -> "movq $" + signed((int) rnd.nextLong()) + ", " + reg(r(16), 8);
            default -> "mov $0x" + Long.toHexString(r(2) == 0 ? rnd.nextLong() >>> r(64) : rnd.nextLong() & 0xffffffffL)
                + ", " + reg(r(16), 8);
        };
    }

    private String extend() {
        String[] names = {"movzbw", "movzbl", "movzbq", "movzwl", "movzwq", "movsbw", "movsbl", "movsbq", "movswl",
            "movswq", "movslq"};
        String name = pick(names);
        int srcSize = 1 << "bwlq".indexOf(name.charAt(4));
        int dst = 1 << "bwlq".indexOf(name.charAt(5));
        if (r(2) == 0) {
            return name + " " + mem(false) + ", " + reg(dst, false);
        }
        boolean legacy = srcSize == 1 && dst != 8 && r(3) == 0;
        String s = reg(srcSize, legacy);
        String d = legacy ? reg(r(8), dst) : reg(dst, false);
        String alias = srcSize == 4 ? "movsxd" : name.startsWith("movz") ? "movzx" : "movsx";
        return (r(4) == 0 ? alias : name) + " " + s + ", " + d;
    }

    private String xchg() {
        int size = anySize();
        boolean legacy = size == 1 && r(3) == 0;
        return switch (r(4)) {
            case 0 -> "xchg " + reg(size, legacy) + ", " + reg(size, legacy);
            case 1 -> "xchg " + reg(0, size) + ", " + reg(size, legacy); // the 90+r forms
            case 2 -> (r(3) == 0 ? "lock " : "") + "xchg " + reg(size, legacy) + ", " + mem(legacy);
            default -> "xchg " + mem(legacy) + ", " + reg(size, legacy);
        };
    }

    private String stack() {
        int size = r(4) == 0 ? 2 : 8;
        String s = size == 2 ? "w" : r(2) == 0 ? "q" : "";
        return switch (r(6)) {
            case 0 -> "push" + s + " " + reg(r(16), size);
            case 1 -> "pop" + s + " " + reg(r(16), size);
            case 2 -> size == 2 ? "pushw " + immText(imm(2)) : "push" + s + " " + immText((int) imm(4));
            case 3 -> "push" + (size == 2 ? "w" : "q") + " " + mem(false);
            case 4 -> "pop" + (size == 2 ? "w" : "q") + " " + mem(false);
            default -> "push $" + signed(EDGES[r(EDGES.length)] % 0x80000000L);
        };
    }

    private String branch() {
        return switch (r(7)) {
            case 0, 1 -> "j" + pick(CONDITIONS) + " " + label();
            case 2 -> "jmp " + label();
            case 3 -> "call " + label();
            case 4 -> (r(2) == 0 ? "jmp" : "call") + " *" + reg(r(16), 8);
            default -> (r(2) == 0 ? "jmp" : "call") + " *" + mem(false);
        };
    }

    private String nop() {
        return switch (r(4)) {
            case 0 -> "nop";
            case 1 -> "nop" + pick(new String[] {"w", "l"}) + " " + mem(false);
            case 2 -> "nop " + reg(r(16), 2 << r(3));
            default -> "xchg %ax, %ax";
        };
    }
}
