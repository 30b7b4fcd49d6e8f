package io.entrysim.diff;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random instruction texts over every form entrysim assembles, for the encoder's differential
 * test against GNU as: every operand size, register (REX-only bytes, %ah..%bh, %r8..%r15), memory
 * addressing mode (base, base+index*scale, index without base, absolute, RIP-relative, every
 * segment override, each displacement size) and immediate width, with constants known where they
 * are used ({@code K*} symbols, defined first) and symbolic values ({@code F*} symbols, defined
 * after their uses, so gas keeps 32-bit fields), plus direct branches over short and near
 * distances and {@code lea t(%rip)} to labels of the same section. Unlike {@link InsnUnits} the
 * lines are never run: any register and address will do.
 */
final class EncodingForms {
    private static final String[] ALU = {"add", "sub", "adc", "sbb", "and", "or", "xor", "cmp"};
    private static final String[] LOCKABLE_ALU = {"add", "sub", "adc", "sbb", "and", "or", "xor"};
    private static final String[] UNARY = {"inc", "dec", "neg", "not"};
    private static final String[] SHIFTS = {"shl", "sal", "shr", "sar", "rol", "ror"};
    private static final String[] BIT_TESTS = {"bt", "bts", "btr", "btc"};
    private static final String[] CONDITIONS = {
        "o", "no", "b", "c", "nae", "ae", "nc", "nb", "e", "z", "ne", "nz", "be", "na", "a", "nbe",
        "s", "ns", "p", "pe", "np", "po", "l", "nge", "ge", "nl", "le", "ng", "g", "nle"};
    private static final String[] EXTENSIONS = {
        "movzbw", "movzbl", "movzbq", "movzwl", "movzwq", "movsbw", "movsbl", "movsbq", "movswl", "movswq", "movslq"};
    private static final String[] SYSTEM = {
        "hlt", "ud2", "swapgs", "cld", "std", "clc", "stc", "cmc", "lfence", "mfence", "sfence", "clac", "stac",
        "cli", "sti", "rdmsr", "wrmsr", "syscall", "sysretq", "sysretl", "sysret", "sysenter", "sysexit", "sysexitl", "sysexitq", "iretq", "iretl", "iret",
        "pushf", "pushfq", "pushfw", "popf", "popfq", "popfw", "ret", "retq", "retw", "nop", "pause"};
    private static final String[] SEGMENTS = {"gs", "fs", "cs", "ds", "es", "ss"};
    private static final int[] CRS = {0, 2, 3, 4, 8};

    /** Symbol classes by value range: fits imm8 (0..127), signed 16-bit, signed 32-bit. */
    private static final int BYTE = 0, WORD = 1, LONG = 2;
    private static final int SYMBOLS_PER_CLASS = 4;

    private final SplittableRandom rnd;
    /** K* symbols: defined before any use (constants where used); F* after (symbolic). */
    private final Map<String, Long> constants = new LinkedHashMap<>();
    private final Map<String, Long> forwards = new LinkedHashMap<>();
    private final List<String> lines = new ArrayList<>();
    /** Labels defined so far, and labels used but not yet placed (with the units left until placed). */
    private final List<String> placed = new ArrayList<>();
    private final Map<String, Integer> pending = new LinkedHashMap<>();
    private int labels;
    private final String labelPrefix;

    EncodingForms(long seed, String labelPrefix) {
        this.rnd = new SplittableRandom(seed);
        this.labelPrefix = labelPrefix;
        for (int c = BYTE; c <= LONG; c++) {
            for (int i = 0; i < SYMBOLS_PER_CLASS; i++) {
                constants.put(labelPrefix + "K" + c + "_" + i, symbolValue(c));
                forwards.put(labelPrefix + "F" + c + "_" + i, symbolValue(c));
            }
        }
    }

    /** Symbols that are constants wherever used (their definitions come first). */
    Map<String, Long> constants() {
        return constants;
    }

    private long symbolValue(int c) {
        return switch (c) {
            case BYTE -> rnd.nextInt(128);
            case WORD -> rnd.nextInt(0x10000) - 0x8000;
            default -> rnd.nextInt();
        };
    }

    /** The source of {@code count} random instruction units. */
    List<String> generate(int count) {
        constants.forEach((k, v) -> lines.add(k + " = " + v));
        for (int i = 0; i < count; i++) {
            unit();
        }
        for (String l : new ArrayList<>(pending.keySet())) {
            place(l);
        }
        lines.add("\tnop");
        forwards.forEach((k, v) -> lines.add(k + " = " + v));
        return lines;
    }

    private void emit(String insn) {
        // labels whose time has come precede the instruction
        for (Map.Entry<String, Integer> e : new ArrayList<>(pending.entrySet())) {
            if (e.getValue() <= 0) {
                place(e.getKey());
            } else {
                e.setValue(e.getValue() - 1);
            }
        }
        if (rnd.nextInt(40) == 0) {
            place(newLabel());
        }
        for (String line : insn.split("\n")) {
            lines.add("\t" + line);
        }
    }

    private void place(String label) {
        pending.remove(label);
        placed.add(label);
        lines.add(label + ":");
    }

    private String newLabel() {
        return labelPrefix + "t" + labels++;
    }

    /** A label to branch to or address: one placed already, or one placed a few units on. */
    private String label() {
        if (!placed.isEmpty() && rnd.nextBoolean()) {
            return placed.get(placed.size() - 1 - rnd.nextInt(Math.min(placed.size(), 8)));
        }
        if (!pending.isEmpty() && rnd.nextBoolean()) {
            return pending.keySet().iterator().next();
        }
        String l = newLabel();
        pending.put(l, rnd.nextInt(12));
        return l;
    }

    private void unit() {
        switch (rnd.nextInt(30)) {
            case 0, 1, 2, 3 -> alu();
            case 4 -> unary();
            case 5, 6 -> shift();
            case 7 -> bitTest();
            case 8, 9, 10 -> mov();
            case 11 -> movSpecial();
            case 12 -> xchg();
            case 13 -> lea();
            case 14 -> extension();
            case 15 -> cmovSet();
            case 16 -> pushPop();
            case 17, 18 -> branch();
            case 19 -> indirect();
            case 20 -> nop();
            case 21 -> system();
            case 22 -> test();
            case 23 -> ripRelative();
            case 24 -> {
                if (rnd.nextInt(3) == 0) {
                    lines.add("\t.skip " + (60 + rnd.nextInt(200)));
                }
                branch();
            }
            default -> alu();
        }
    }

    // ---- registers

    private static final String[] R64 = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi"};
    private static final String[] R32 = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};
    private static final String[] R16 = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di"};
    private static final String[] R8 = {"al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil"};
    private static final String[] HIGH8 = {"ah", "ch", "dh", "bh"};

    static String reg(int n, int size) {
        if (n < 8) {
            return "%" + switch (size) {
                case 8 -> R64[n];
                case 4 -> R32[n];
                case 2 -> R16[n];
                default -> R8[n];
            };
        }
        return "%r" + n + switch (size) {
            case 8 -> "";
            case 4 -> "d";
            case 2 -> "w";
            default -> "b";
        };
    }

    /**
     * A register of {@code size}; legacy: no REX (%al..%bl, %ah..%bh, and only the first eight
     * registers). The accumulator comes up often (it has short forms).
     */
    private String reg(int size, boolean legacy) {
        if (size == 1 && legacy) {
            int n = rnd.nextInt(8);
            return n < 4 ? reg(n, 1) : "%" + HIGH8[n - 4];
        }
        int n = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(legacy ? 8 : 16);
        return reg(n, size);
    }

    private int size() {
        return 1 << rnd.nextInt(4);
    }

    private static char suffix(int size) {
        return switch (size) {
            case 1 -> 'b';
            case 2 -> 'w';
            case 4 -> 'l';
            default -> 'q';
        };
    }

    /** With its suffix always when needed, else half the time. */
    private String mn(String op, int size, boolean needed) {
        return needed || rnd.nextBoolean() ? op + suffix(size) : op;
    }

    /** Legacy byte forms (%ah..%bh allowed, no REX) a third of the time for byte operations. */
    private boolean legacy(int size) {
        return size == 1 && rnd.nextInt(3) == 0;
    }

    // ---- values

    private String symbol(Map<String, Long> from, int maxClass) {
        int c = rnd.nextInt(maxClass + 1);
        return from.keySet().stream().toList().get(c * SYMBOLS_PER_CLASS + rnd.nextInt(SYMBOLS_PER_CLASS));
    }

    /** An immediate's text (without $) for an operation of {@code size}: literals, constants, symbols. */
    private String imm(int size) {
        int cls = size == 1 ? BYTE : size == 2 ? WORD : LONG;
        return switch (rnd.nextInt(12)) {
            case 0 -> symbol(constants, cls);
            case 1 -> symbol(constants, cls) + (rnd.nextBoolean() ? "+1" : "-1");
            case 2 -> symbol(forwards, cls);
            case 3 -> symbol(forwards, Math.min(cls, WORD)) + "+2";
            default -> literal(immValue(size));
        };
    }

    private long immValue(int size) {
        return switch (rnd.nextInt(10)) {
            case 0, 1 -> rnd.nextInt(256) - 128; // imm8 territory
            case 2 -> new long[] {127, 128, -128, -129, 0, 1, -1, 255, 256}[rnd.nextInt(9)];
            case 3 -> size == 2 ? 0xff00 + rnd.nextInt(256) : size == 4 ? 0xffffff00L + rnd.nextInt(256) : -rnd.nextInt(256);
            case 4 -> size == 8 ? rnd.nextInt() : size == 4 ? rnd.nextLong() & 0xffff_ffffL : rnd.nextInt(1 << (8 * size));
            case 5 -> { // beyond the operand size: gas shortens it (and warns), from the wide form
                long[] wide = size == 1 ? new long[] {0x1ff, -200} : size == 2 ? new long[] {0x1ffff, 0xffffffffL, 0x1ff80}
                    : size == 4 ? new long[] {0x1ffffffffL, 0x100000005L} : new long[] {0};
                yield wide[rnd.nextInt(wide.length)];
            }
            default -> size == 1 ? rnd.nextInt(256) : rnd.nextInt(size == 2 ? 0x10000 : 0x1000000) - (size == 2 ? 0x8000 : 0);
        };
    }

    private String literal(long v) {
        if (v < 0) {
            return Long.toString(v);
        }
        return rnd.nextBoolean() ? Long.toString(v) : "0x" + Long.toHexString(v);
    }

    /** A shift count or bit offset immediate: 0..255, often 1, or a symbol of the byte class. */
    private String countImm() {
        return switch (rnd.nextInt(8)) {
            case 0, 1 -> "1";
            case 2 -> symbol(constants, BYTE);
            case 3 -> symbol(forwards, BYTE);
            case 4 -> "0";
            default -> literal(rnd.nextInt(256));
        };
    }

    // ---- memory

    private String disp() {
        return switch (rnd.nextInt(15)) {
            case 0, 1 -> "";
            case 2 -> "0";
            case 3 -> literal(new long[] {127, 128, -128, -129, 1, -1, 0x7fffffff, -0x80000000L}[rnd.nextInt(8)]);
            case 13 -> "0x" + Long.toHexString(0xffffffff80000000L + rnd.nextInt(1 << 30)); // a kernel address
            case 4, 5 -> literal(rnd.nextInt(256) - 128);
            case 6 -> literal(rnd.nextInt(0x10000) - 0x8000);
            case 7 -> literal(rnd.nextInt());
            case 8 -> symbol(constants, LONG);
            case 9 -> symbol(constants, BYTE) + "*8";
            case 10 -> symbol(forwards, LONG);
            case 11 -> symbol(forwards, BYTE);
            default -> literal(rnd.nextInt(64) * 8);
        };
    }

    /** A memory operand of any addressing mode; legacy: no REX (base and index among the first eight). */
    private String mem(boolean legacy) {
        String seg = rnd.nextInt(5) == 0 ? "%" + SEGMENTS[rnd.nextInt(SEGMENTS.length)] + ":" : "";
        int regs = legacy ? 8 : 16;
        int base = rnd.nextInt(3) == 0 ? new int[] {4, 5, 12, 13}[rnd.nextInt(legacy ? 2 : 4)] : rnd.nextInt(regs);
        int index;
        do {
            index = rnd.nextInt(regs);
        } while (index == 4);
        String scale = rnd.nextBoolean() ? "" : "," + (1 << rnd.nextInt(4));
        return seg + switch (rnd.nextInt(10)) {
            case 0 -> { // absolute
                String d = disp();
                yield d.isEmpty() ? literal(rnd.nextInt(0x100000)) : d;
            }
            case 1, 2, 3 -> disp() + "(" + reg(base, 8) + ")";
            case 4, 5, 6 -> disp() + "(" + reg(base, 8) + "," + reg(index, 8) + scale + ")";
            case 7 -> disp() + "(," + reg(index, 8) + scale + ")";
            default -> rnd.nextBoolean() ? label() + "(%rip)" : ripConstant() + "(%rip)";
        };
    }

    /** A constant RIP-relative displacement: gas puts it in the disp32 as it is. */
    private String ripConstant() {
        return rnd.nextBoolean() ? literal(rnd.nextInt(0x2000) - 0x1000) : symbol(constants, LONG);
    }

    private String lock(boolean memDest, boolean lockable) {
        if (!memDest || !lockable) {
            return "";
        }
        int r = rnd.nextInt(12);
        if (r == 0) {
            return "lock ";
        }
        return r == 1 ? "lock\n" : ""; // a prefix alone on its line prefixes the next instruction
    }

    // ---- instruction kinds

    private void alu() {
        String op = ALU[rnd.nextInt(ALU.length)];
        boolean lockable = !op.equals("cmp");
        int size = size();
        boolean legacy = legacy(size);
        switch (rnd.nextInt(6)) {
            case 0, 1 -> emit(mn(op, size, false) + " $" + imm(size) + ", " + reg(size, legacy));
            case 2 -> {
                String m = mem(legacy);
                emit(lock(true, lockable) + mn(op, size, true) + " $" + imm(size) + ", " + m);
            }
            case 3 -> emit(mn(op, size, false) + " " + reg(size, legacy) + ", " + reg(size, legacy));
            case 4 -> {
                String m = mem(legacy);
                emit(lock(true, lockable) + mn(op, size, false) + " " + reg(size, legacy) + ", " + m);
            }
            default -> emit(mn(op, size, false) + " " + mem(legacy) + ", " + reg(size, legacy));
        }
    }

    private void test() {
        int size = size();
        boolean legacy = legacy(size);
        switch (rnd.nextInt(4)) {
            case 0 -> emit(mn("test", size, false) + " $" + imm(size) + ", " + reg(size, legacy));
            case 1 -> emit(mn("test", size, true) + " $" + imm(size) + ", " + mem(legacy));
            case 2 -> emit(mn("test", size, false) + " " + reg(size, legacy) + ", " + reg(size, legacy));
            default -> emit(rnd.nextBoolean() ? mn("test", size, false) + " " + reg(size, legacy) + ", " + mem(legacy)
                : mn("test", size, false) + " " + mem(legacy) + ", " + reg(size, legacy));
        }
    }

    private void unary() {
        String op = UNARY[rnd.nextInt(UNARY.length)];
        int size = size();
        boolean legacy = legacy(size);
        if (rnd.nextBoolean()) {
            emit(mn(op, size, false) + " " + reg(size, legacy));
        } else {
            String m = mem(legacy);
            emit(lock(true, true) + mn(op, size, true) + " " + m);
        }
    }

    private void shift() {
        String op = SHIFTS[rnd.nextInt(SHIFTS.length)];
        int size = size();
        boolean legacy = legacy(size);
        String dst = rnd.nextBoolean() ? reg(size, legacy) : mem(legacy);
        boolean needed = !dst.startsWith("%") || dst.contains(":") || dst.contains("(");
        String count = switch (rnd.nextInt(3)) {
            case 0 -> "";
            case 1 -> "%cl, ";
            default -> "$" + countImm() + ", ";
        };
        emit(mn(op, size, needed) + " " + count + dst);
    }

    private void bitTest() {
        String op = BIT_TESTS[rnd.nextInt(BIT_TESTS.length)];
        int size = 2 << rnd.nextInt(3);
        boolean memDst = rnd.nextBoolean();
        String dst = memDst ? mem(false) : reg(size, false);
        String src = rnd.nextBoolean() ? "$" + countImm() : reg(size, false);
        emit(lock(memDst, !op.equals("bt")) + mn(op, size, memDst && src.startsWith("$")) + " " + src + ", " + dst);
    }

    private void mov() {
        int size = size();
        boolean legacy = legacy(size);
        switch (rnd.nextInt(6)) {
            case 0 -> emit(mn("mov", size, false) + " $" + imm(size) + ", " + reg(size, legacy));
            case 1 -> emit(mn("mov", size, true) + " $" + imm(size) + ", " + mem(legacy));
            case 2 -> emit(mn("mov", size, false) + " " + reg(size, legacy) + ", " + reg(size, legacy));
            case 3 -> emit(mn("mov", size, false) + " " + reg(size, legacy) + ", " + mem(legacy));
            default -> emit(mn("mov", size, false) + " " + mem(legacy) + ", " + reg(size, legacy));
        }
    }

    /** movabs, the accumulator with absolute addresses (moffs), 64-bit immediates, control registers. */
    private void movSpecial() {
        int size = size();
        String acc = reg(0, size);
        String seg = rnd.nextInt(3) == 0 ? "%" + SEGMENTS[rnd.nextInt(SEGMENTS.length)] + ":" : "";
        String far = literal(rnd.nextBoolean() ? 0x80000000L + rnd.nextInt(1 << 30) : rnd.nextLong() >>> rnd.nextInt(40));
        String addr = switch (rnd.nextInt(4)) {
            case 0 -> symbol(constants, LONG);
            case 1 -> symbol(forwards, LONG);
            default -> far;
        };
        switch (rnd.nextInt(7)) {
            case 0 -> emit(mn("movabs", size, false) + " " + seg + addr + ", " + acc);
            case 1 -> emit(mn("movabs", size, false) + " " + acc + ", " + seg + addr);
            case 2 -> { // a plain mov: moffs when a constant address needs more than a sign-extended disp32
                String a = rnd.nextBoolean() ? far : literal(rnd.nextInt() & 0x7fffffffL);
                emit(rnd.nextBoolean() ? mn("mov", size, false) + " " + seg + a + ", " + acc
                    : mn("mov", size, false) + " " + acc + ", " + seg + a);
            }
            case 3 -> {
                String v = switch (rnd.nextInt(4)) {
                    case 0 -> symbol(forwards, LONG);
                    case 1 -> symbol(constants, LONG);
                    default -> literal(rnd.nextLong() >> rnd.nextInt(64));
                };
                emit((rnd.nextBoolean() ? "movabs" : "movabsq") + " $" + v + ", " + reg(rnd.nextInt(16), 8));
            }
            case 4 -> { // 64-bit mov $imm: c7 for a sign-extended imm32, else the movabs form
                long v = rnd.nextBoolean() ? rnd.nextLong() >> rnd.nextInt(64) : rnd.nextInt();
                emit(mn("mov", 8, false) + " $" + literal(v) + ", " + reg(rnd.nextInt(16), 8));
            }
            default -> {
                String cr = "%cr" + CRS[rnd.nextInt(CRS.length)];
                String r = reg(rnd.nextInt(16), 8);
                emit(rnd.nextBoolean() ? "mov " + cr + ", " + r : "mov " + r + ", " + cr);
            }
        }
    }

    private void xchg() {
        int size = size();
        boolean legacy = legacy(size);
        String a = rnd.nextInt(3) == 0 ? reg(0, size) : reg(size, legacy);
        String b = rnd.nextInt(3) == 0 ? reg(0, size) : reg(size, legacy);
        switch (rnd.nextInt(4)) {
            case 0, 1 -> emit(mn("xchg", size, false) + " " + a + ", " + b);
            case 2 -> {
                String m = mem(legacy);
                emit(lock(true, true) + mn("xchg", size, false) + " " + a + ", " + m);
            }
            default -> emit(mn("xchg", size, false) + " " + mem(legacy) + ", " + b);
        }
    }

    private void lea() {
        int size = 2 << rnd.nextInt(3);
        emit(mn("lea", size, false) + " " + mem(false) + ", " + reg(size, false));
    }

    private void extension() {
        switch (rnd.nextInt(4)) {
            case 0, 1 -> {
                String m = EXTENSIONS[rnd.nextInt(EXTENSIONS.length)];
                int src = sizeOf(m.charAt(4));
                int dst = sizeOf(m.charAt(5));
                boolean legacy = src == 1 && dst < 8 && rnd.nextInt(3) == 0;
                String from = rnd.nextBoolean() ? reg(src, legacy) : mem(legacy);
                emit(m + " " + from + ", " + reg(dst, legacy));
            }
            case 2 -> { // movzx/movsx spelled without sizes: the source register says
                int src = rnd.nextBoolean() ? 1 : 2;
                int dst = src == 1 ? 2 << rnd.nextInt(3) : 4 << rnd.nextInt(2);
                String op = rnd.nextBoolean() ? "movzx" : "movsx";
                emit(op + " " + reg(src, false) + ", " + reg(dst, false));
            }
            default -> emit("movsxd " + (rnd.nextBoolean() ? reg(4, false) : mem(false)) + ", " + reg(8, false));
        }
    }

    private static int sizeOf(char c) {
        return switch (c) {
            case 'b' -> 1;
            case 'w' -> 2;
            case 'l' -> 4;
            default -> 8;
        };
    }

    private void cmovSet() {
        String cc = CONDITIONS[rnd.nextInt(CONDITIONS.length)];
        if (rnd.nextBoolean()) {
            int size = 2 << rnd.nextInt(3);
            String src = rnd.nextBoolean() ? reg(size, false) : mem(false);
            emit(mn("cmov" + cc, size, false) + " " + src + ", " + reg(size, false));
        } else {
            boolean legacy = rnd.nextInt(3) == 0;
            emit("set" + cc + " " + (rnd.nextBoolean() ? reg(1, legacy) : mem(legacy)));
        }
    }

    private void pushPop() {
        boolean push = rnd.nextBoolean();
        String op = push ? "push" : "pop";
        int size = rnd.nextInt(4) == 0 ? 2 : 8;
        switch (rnd.nextInt(push ? 4 : 3)) {
            case 0, 1 -> emit(mn(op, size, false) + " " + reg(size, false));
            case 2 -> emit(mn(op, size, size == 2) + " " + mem(false));
            default -> emit(mn(op, size, size == 2) + " $" + pushImm(size));
        }
    }

    private String pushImm(int size) {
        return switch (rnd.nextInt(6)) {
            case 0 -> symbol(constants, size == 2 ? WORD : LONG);
            case 1 -> symbol(forwards, size == 2 ? WORD : LONG);
            case 2 -> literal(size == 2 ? 0xff00 + rnd.nextInt(256) : rnd.nextInt(1 << 16) - (1 << 15));
            default -> literal(rnd.nextInt(512) - 256);
        };
    }

    private void branch() {
        String target = label();
        String op = switch (rnd.nextInt(4)) {
            case 0 -> "jmp";
            case 1 -> "call";
            default -> "j" + CONDITIONS[rnd.nextInt(CONDITIONS.length)];
        };
        emit(op + " " + target);
    }

    private void indirect() {
        String op = rnd.nextBoolean() ? "jmp" : "call";
        if (rnd.nextBoolean()) {
            op += "q";
        }
        emit(op + " *" + (rnd.nextBoolean() ? reg(rnd.nextInt(16), 8) : mem(false)));
    }

    private void ripRelative() {
        String target = label();
        switch (rnd.nextInt(4)) {
            case 0, 1 -> emit(mn("lea", 8, false) + " " + target + "(%rip), " + reg(rnd.nextInt(16), 8));
            case 2 -> emit("movl $" + imm(4) + ", " + target + "(%rip)");
            default -> emit("cmpw $" + imm(2) + ", " + target + "(%rip)");
        }
    }

    private void nop() {
        switch (rnd.nextInt(4)) {
            case 0 -> emit(rnd.nextBoolean() ? "nop" : "pause");
            case 1 -> { // without a suffix gas takes nopl (and warns)
                int size = 2 << rnd.nextInt(3);
                emit((rnd.nextInt(4) == 0 ? "nop" : "nop" + suffix(size)) + " " + mem(false));
            }
            case 2 -> {
                int size = 2 << rnd.nextInt(3);
                emit(mn("nop", size, false) + " " + reg(size, false));
            }
            default -> emit("nopw %cs:0x0(%rax,%rax,1)");
        }
    }

    private void system() {
        switch (rnd.nextInt(11)) {
            case 7 -> {
                String s = "%" + new String[] {"es", "cs", "ss", "ds", "fs", "gs"}[rnd.nextInt(6)];
                int size = 2 << rnd.nextInt(3);
                boolean memory = rnd.nextBoolean();
                String other = memory ? mem(false) : reg(rnd.nextInt(16), size);
                String m = memory ? (rnd.nextBoolean() ? "movw" : "mov") : (rnd.nextBoolean() ? "mov" + suffix(size) : "mov");
                emit(rnd.nextBoolean() ? m + " " + s + ", " + other : m + " " + other + ", " + s);
            }
            case 6 -> emit("rdpid " + reg(rnd.nextInt(16), 8));
            case 5 -> emit(new String[] {"leave", "leaveq", "leavew"}[rnd.nextInt(3)]);
            case 4 -> emit(rnd.nextBoolean() ? "int3" : "int $" + literal(rnd.nextInt(256)));
            case 3 -> {
                int size = 2 << rnd.nextInt(3);
                String src = rnd.nextBoolean() ? mem(false) : reg(rnd.nextInt(16), rnd.nextBoolean() ? 2 : size);
                emit((rnd.nextBoolean() ? "lsl" : "lar") + (rnd.nextBoolean() ? suffix(size) : "") + " " + src + ", "
                    + reg(rnd.nextInt(16), size));
            }
            case 2 -> emit((rnd.nextBoolean() ? "verw " : "verww ") + (rnd.nextBoolean() ? reg(rnd.nextInt(16), 2) : mem(false)));
            case 0 -> {
                String base = new String[] {"rdfsbase", "rdgsbase", "wrfsbase", "wrgsbase"}[rnd.nextInt(4)];
                emit(base + " " + reg(rnd.nextInt(16), 4 << rnd.nextInt(2)));
            }
            case 1 -> emit((rnd.nextBoolean() ? "ret" : rnd.nextBoolean() ? "retq" : "retw") + " $"
                + (rnd.nextInt(4) == 0 ? symbol(forwards, BYTE) : literal(rnd.nextInt(0x10000))));
            default -> emit(SYSTEM[rnd.nextInt(SYSTEM.length)]);
        }
    }
}
