package io.entrysim.diff;

import io.entrysim.cpu.Reg;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Operand choices for the generator: register names by size (including %ah-style high bytes and
 * the REX-only %sil/%r9b forms), immediates, values, and memory operands that provably address a
 * given spot of the buffer. A memory operand brings the setup instructions that load its base and
 * index registers; setups use only {@code mov}/{@code lea}, which leave the flags alone.
 *
 * <p>"Legacy" choices avoid everything that needs a REX prefix, so that %ah/%bh/%ch/%dh can be
 * used in the same instruction (gas rejects %ah together with a REX prefix).
 */
final class Operands {
    private static final String[] R64 = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi"};
    private static final String[] R32 = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};
    private static final String[] R16 = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di"};
    private static final String[] R8 = {"al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil"};
    private static final String[] HIGH8 = {"ah", "ch", "dh", "bh"};

    /** A register operand; {@code high} is %ah..%bh (then {@code num} is 0..3, size 1). */
    record Gpr(int num, int size, boolean high) {
        String text() {
            return "%" + name(num, size, high);
        }
    }

    /** A memory operand and the register loads it needs first; {@code regs} are the registers those loads write. */
    record Mem(String text, List<String> setup, List<Integer> regs) {}

    private final SplittableRandom rnd;

    Operands(SplittableRandom rnd) {
        this.rnd = rnd;
    }

    static String name(int num, int size, boolean high) {
        if (high) {
            return HIGH8[num];
        }
        if (num < 8) {
            return switch (size) {
                case 8 -> R64[num];
                case 4 -> R32[num];
                case 2 -> R16[num];
                default -> R8[num];
            };
        }
        return "r" + num + switch (size) {
            case 8 -> "";
            case 4 -> "d";
            case 2 -> "w";
            default -> "b";
        };
    }

    static char suffix(int size) {
        return switch (size) {
            case 1 -> 'b';
            case 2 -> 'w';
            case 4 -> 'l';
            default -> 'q';
        };
    }

    // ---- registers

    /** Any register but %rsp, which only push/pop move (so the stack stays inside the buffer). */
    int writable(boolean legacy, List<Integer> avoid) {
        while (true) {
            int n = rnd.nextInt(legacy ? 8 : 16);
            if (n != Reg.RSP && !avoid.contains(n)) {
                return n;
            }
        }
    }

    /** A register of {@code size}; readable-only operands may be %rsp/%esp/%sp/%spl. */
    Gpr gpr(int size, boolean legacy, boolean writable, List<Integer> avoid) {
        if (size == 1 && legacy) { // %al..%bl or %ah..%bh: the byte registers without REX
            for (int tries = 0; ; tries++) {
                int n = rnd.nextInt(4);
                if (!avoid.contains(n) || tries > 20) {
                    return new Gpr(n, 1, rnd.nextBoolean());
                }
            }
        }
        if (!writable && rnd.nextInt(12) == 0 && !avoid.contains(Reg.RSP)) {
            return new Gpr(Reg.RSP, size, false);
        }
        return new Gpr(writable(legacy, avoid), size, false);
    }

    // ---- values

    /** A value for a register or memory: edge cases of every width, small numbers, random bits. */
    long value() {
        return switch (rnd.nextInt(10)) {
            case 0, 1, 2, 3 -> rnd.nextLong();
            case 4 -> rnd.nextInt(256) - 8;
            case 5 -> edge(new int[] {1, 2, 4, 8}[rnd.nextInt(4)]);
            case 6 -> rnd.nextLong() & 0xFFFF_FFFFL;
            case 7 -> rnd.nextLong() | 0xFFFF_FFFF_0000_0000L;
            case 8 -> rnd.nextLong() >> rnd.nextInt(64);
            default -> 1L << rnd.nextInt(64);
        };
    }

    /** An edge value of a width: 0, 1, max/min signed, all ones, and their neighbours. */
    long edge(int size) {
        long mask = size == 8 ? -1L : (1L << (8 * size)) - 1;
        long sign = 1L << (8 * size - 1);
        long[] edges = {0, 1, 2, sign - 1, sign, sign + 1, mask, mask - 1, 0x80, 0x7F, 0x0F, 0x10};
        return edges[rnd.nextInt(edges.length)];
    }

    /** An immediate value encodable for an ALU op of {@code size} (64-bit ops take a sign-extended imm32). */
    long imm(int size) {
        long v = rnd.nextInt(3) == 0 ? edge(Math.min(size, 4)) : value();
        return switch (size) {
            case 1 -> rnd.nextBoolean() ? (byte) v : v & 0xFF;
            case 2 -> rnd.nextBoolean() ? (short) v : v & 0xFFFF;
            case 4 -> rnd.nextBoolean() ? (int) v : v & 0xFFFF_FFFFL;
            default -> (int) v;
        };
    }

    /** {@code $value} spelled as gas accepts it, in decimal or hex. */
    String immText(long v) {
        if (v < 0) {
            return "$" + v;
        }
        return rnd.nextBoolean() ? "$" + v : "$0x" + Long.toHexString(v);
    }

    // ---- memory

    /** A buffer address for an access of {@code size}: anywhere, often near the page boundary or the stack. */
    long target(int size, long rsp) {
        long off = switch (rnd.nextInt(6)) {
            case 0 -> 4096 - size + 1 + rnd.nextInt(size + 8) - 4; // around the page boundary
            case 1 -> rsp - DiffLayout.BUFFER_BASE - 64 + rnd.nextInt(128); // around the stack
            case 2 -> rnd.nextInt(64) * 8L; // aligned
            default -> rnd.nextInt(DiffLayout.BUFFER_SIZE);
        };
        off = Math.max(0, Math.min(off, DiffLayout.BUFFER_SIZE - size));
        return DiffLayout.BUFFER_BASE + off;
    }

    /**
     * A memory operand whose effective address is {@code address}. {@code rsp} is the value %rsp
     * has when the instruction computes the address (null: don't use %rsp as base). Setup loads
     * never write a register in {@code avoid}.
     */
    Mem mem(long address, Long rsp, boolean legacy, List<Integer> avoid) {
        int form = rnd.nextInt(20);
        if (form < 3) {
            return new Mem("0x" + Long.toHexString(address), List.of(), List.of());
        }
        if (form < 6 && rsp != null) {
            long disp = address - rsp;
            return new Mem(disp(disp) + "(%rsp)", List.of(), List.of());
        }
        long disp = switch (rnd.nextInt(4)) {
            case 0 -> 0;
            case 1 -> rnd.nextInt(256) - 128;
            default -> rnd.nextInt(8192) - 4096;
        };
        List<String> setup = new ArrayList<>();
        List<Integer> used = new ArrayList<>(avoid);
        if (form < 12) {
            int base = writable(legacy, used);
            setup.add(load(base, address - disp));
            return new Mem(disp(disp) + "(%" + name(base, 8, false) + ")", setup, List.of(base));
        }
        int scale = 1 << rnd.nextInt(4);
        long k = rnd.nextInt(129) - 64;
        int index = writable(legacy, used);
        used.add(index);
        setup.add(load(index, k));
        if (form < 16) {
            long d = address - k * scale;
            return new Mem(disp(d) + "(,%" + name(index, 8, false) + "," + scale + ")", setup, List.of(index));
        }
        int base = writable(legacy, used);
        setup.add(load(base, address - disp - k * scale));
        return new Mem(disp(disp) + "(%" + name(base, 8, false) + ",%" + name(index, 8, false) + "," + scale + ")",
            setup, List.of(base, index));
    }

    private String disp(long d) {
        if (d == 0 && rnd.nextBoolean()) {
            return "";
        }
        return d < 0 ? Long.toString(d) : rnd.nextBoolean() ? Long.toString(d) : "0x" + Long.toHexString(d);
    }

    /** Loads a (sign-extended imm32) constant into a 64-bit register, in one of several spellings. */
    String load(int reg, long value) {
        boolean fitsUnsigned32 = value >= 0 && value <= 0xFFFF_FFFFL;
        return switch (rnd.nextInt(4)) {
            case 0 -> fitsUnsigned32 ? "movl " + immText(value) + ", %" + name(reg, 4, false)
                : "movq " + immText(value) + ", %" + name(reg, 8, false);
            case 1 -> "leaq " + (value <= 0 ? Long.toString(value) : "0x" + Long.toHexString(value)) + ", %" + name(reg, 8, false);
            case 2 -> "mov " + immText(value) + ", %" + name(reg, 8, false);
            default -> "movq " + immText(value) + ", %" + name(reg, 8, false);
        };
    }
}
