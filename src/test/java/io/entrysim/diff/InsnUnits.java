package io.entrysim.diff;

import static io.entrysim.cpu.Flags.AF;
import static io.entrysim.cpu.Flags.CF;
import static io.entrysim.cpu.Flags.OF;
import static io.entrysim.cpu.Flags.PF;
import static io.entrysim.cpu.Flags.SF;
import static io.entrysim.cpu.Flags.STATUS;
import static io.entrysim.cpu.Flags.ZF;

import io.entrysim.cpu.Reg;
import io.entrysim.diff.Operands.Gpr;
import io.entrysim.diff.Operands.Mem;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One random instruction of each kind, as a unit (its operand setup lines plus the instruction),
 * with its effect on the generator's flag model. Flags per the SDM's "Flags Affected" sections.
 */
final class InsnUnits {
    private static final String[] ALU = {"add", "sub", "adc", "sbb", "and", "or", "xor", "cmp", "test"};
    private static final String[] UNARY = {"inc", "dec", "neg", "not"};
    private static final String[] SHIFTS = {"shl", "sal", "shr", "sar", "rol", "ror"};
    private static final String[] BIT_TESTS = {"bt", "bts", "btr", "btc"};
    private static final int[] COUNTS = {0, 1, 2, 3, 4, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 47, 63, 64, 65, 96, 127, 128, 129, 255};
    /** {mnemonic, source size, destination size}. */
    private static final Object[][] EXTENSIONS = {
        {"movzbw", 1, 2}, {"movzbl", 1, 4}, {"movzbq", 1, 8}, {"movzwl", 2, 4}, {"movzwq", 2, 8},
        {"movsbw", 1, 2}, {"movsbl", 1, 4}, {"movsbq", 1, 8}, {"movswl", 2, 4}, {"movswq", 2, 8}, {"movslq", 4, 8}};

    private final ProgramGenerator g;
    private final SplittableRandom rnd;
    private final Operands ops;

    InsnUnits(ProgramGenerator g) {
        this.g = g;
        this.rnd = g.rnd;
        this.ops = g.ops;
    }

    private int size() {
        return 1 << rnd.nextInt(4);
    }

    /** The mnemonic with its size suffix: always when no register fixes the size, else 60% of the time. */
    private String mn(String op, int size, boolean needsSuffix) {
        return needsSuffix || rnd.nextInt(10) < 6 ? op + Operands.suffix(size) : op;
    }

    private Mem mem(int size, boolean legacy, List<Integer> avoid) {
        return ops.mem(ops.target(size, g.rsp()), g.rsp(), legacy, avoid);
    }

    /** Registers of the instruction usually differ from those the memory setup loads (not always). */
    private List<Integer> apart(Mem m) {
        return rnd.nextInt(10) < 7 ? m.regs() : List.of();
    }

    /** Sometimes {@code lock }: only for read-modify-write instructions with a memory destination (else #UD). */
    private String lock() {
        return rnd.nextInt(10) == 0 ? "lock " : "";
    }

    private void emit(List<String> setup, String insn) {
        List<String> lines = new ArrayList<>(setup);
        lines.add(insn);
        g.emit(lines);
    }

    // ---- arithmetic and logic

    void alu(String forced) {
        String op = forced != null ? forced : ALU[rnd.nextInt(ALU.length)];
        if (op.equals("adc") || op.equals("sbb")) {
            g.require(CF);
        }
        int size = size();
        boolean legacy = size == 1 && rnd.nextInt(3) == 0;
        boolean writes = !op.equals("cmp") && !op.equals("test");
        List<String> setup = List.of();
        String insn;
        switch (rnd.nextInt(5)) {
            case 0 -> insn = mn(op, size, false) + " " + ops.gpr(size, legacy, false, List.of()).text() + ", "
                + ops.gpr(size, legacy, writes, List.of()).text();
            case 1 -> insn = mn(op, size, false) + " " + ops.immText(ops.imm(size)) + ", "
                + ops.gpr(size, legacy, writes, List.of()).text();
            case 2 -> {
                Mem m = mem(size, legacy, List.of());
                setup = m.setup();
                insn = (writes ? lock() : "") + mn(op, size, true) + " " + ops.immText(ops.imm(size)) + ", " + m.text();
            }
            case 3 -> {
                Mem m = mem(size, legacy, List.of());
                setup = m.setup();
                insn = (writes ? lock() : "") + mn(op, size, false) + " " + ops.gpr(size, legacy, false, apart(m)).text() + ", " + m.text();
            }
            default -> {
                Mem m = mem(size, legacy, List.of());
                setup = m.setup();
                insn = mn(op, size, false) + " " + m.text() + ", " + ops.gpr(size, legacy, writes, apart(m)).text();
            }
        }
        emit(setup, insn);
        if (op.equals("and") || op.equals("or") || op.equals("xor") || op.equals("test")) {
            g.define(STATUS & ~AF);
            g.undefine(AF);
        } else {
            g.define(STATUS);
        }
    }

    void unary(String forced) {
        String op = forced != null ? forced : UNARY[rnd.nextInt(UNARY.length)];
        int size = size();
        boolean legacy = size == 1 && rnd.nextInt(3) == 0;
        if (rnd.nextBoolean()) {
            emit(List.of(), mn(op, size, false) + " " + ops.gpr(size, legacy, true, List.of()).text());
        } else {
            Mem m = mem(size, legacy, List.of());
            emit(m.setup(), lock() + mn(op, size, true) + " " + m.text());
        }
        switch (op) {
            case "inc", "dec" -> g.define(STATUS & ~CF); // CF unaffected
            case "neg" -> g.define(STATUS);
            default -> { } // NOT affects no flag
        }
    }

    // ---- shifts and rotates

    void shift() {
        String op = SHIFTS[rnd.nextInt(SHIFTS.length)];
        int size = size();
        boolean legacy = size == 1 && rnd.nextInt(3) == 0;
        List<String> setup = new ArrayList<>();
        List<Integer> avoid = new ArrayList<>();
        String countText;
        Integer count;
        switch (rnd.nextInt(5)) {
            case 0 -> {
                countText = null;
                count = 1;
            }
            case 1 -> {
                countText = "$1";
                count = 1;
            }
            case 2 -> {
                count = shiftCount();
                countText = "$" + count;
            }
            case 3 -> {
                count = shiftCount();
                setup.add("movb $" + count + ", %cl");
                avoid.add(Reg.RCX);
                countText = "%cl";
            }
            default -> { // whatever %cl holds
                count = null;
                avoid.add(Reg.RCX);
                countText = "%cl";
            }
        }
        String dst;
        boolean toMemory = rnd.nextBoolean();
        if (toMemory) {
            Mem m = mem(size, legacy, avoid);
            setup.addAll(m.setup());
            dst = m.text();
        } else {
            dst = ops.gpr(size, legacy, true, List.of()).text();
        }
        emit(setup, mn(op, size, toMemory) + " " + (countText == null ? "" : countText + ", ") + dst);
        shiftFlags(op, size, count);
    }

    private int shiftCount() {
        return rnd.nextInt(3) == 0 ? rnd.nextInt(256) : COUNTS[rnd.nextInt(COUNTS.length)];
    }

    /** Flag model of SHL/SHR/SAR/ROL/ROR; {@code count} null when unknown (%cl at run time). */
    private void shiftFlags(String op, int size, Integer count) {
        boolean rotate = op.startsWith("ro");
        boolean sar = op.equals("sar");
        if (count == null) { // count may be 0 (nothing changes), 1, or more
            g.undefine(rotate ? OF : AF | OF | (!sar && size <= 2 ? CF : 0));
            return;
        }
        int c = count & (size == 8 ? 63 : 31);
        if (c == 0) {
            return;
        }
        if (c == 1) {
            g.define(OF);
        } else {
            g.undefine(OF);
        }
        if (rotate) {
            g.define(CF);
            return;
        }
        g.define(SF | ZF | PF);
        g.undefine(AF);
        if (!sar && c >= size * 8) {
            g.undefine(CF);
        } else {
            g.define(CF);
        }
    }

    // ---- bit tests

    void bitTest(String forced) {
        String op = forced != null ? forced : BIT_TESTS[rnd.nextInt(BIT_TESTS.length)];
        int size = 2 << rnd.nextInt(3);
        int bits = size * 8;
        boolean writes = !op.equals("bt");
        switch (rnd.nextInt(4)) {
            case 0 -> emit(List.of(), mn(op, size, false) + " $" + bitImm(bits) + ", " + ops.gpr(size, false, writes, List.of()).text());
            case 1 -> emit(List.of(), mn(op, size, false) + " " + ops.gpr(size, false, false, List.of()).text() + ", "
                + ops.gpr(size, false, writes, List.of()).text());
            case 2 -> {
                Mem m = mem(size, false, List.of());
                emit(m.setup(), (writes ? lock() : "") + mn(op, size, true) + " $" + bitImm(bits) + ", " + m.text());
            }
            default -> bitString(op, size);
        }
        g.define(CF);
        g.undefine(OF | SF | AF | PF); // ZF unaffected
    }

    private int bitImm(int bits) {
        int[] special = {0, 1, bits - 1, bits, bits + 1, 2 * bits - 1, 255};
        return rnd.nextBoolean() ? special[rnd.nextInt(special.length)] : rnd.nextInt(256);
    }

    /**
     * BT* with a register offset into memory (a bit string): the effective address is anywhere near
     * the buffer, the offset (signed, possibly far and negative) selects a word inside it. The
     * offset register's bits above the operand size hold garbage, which the CPU must ignore.
     */
    private void bitString(String op, int size) {
        int bits = size * 8;
        long ea = rnd.nextInt(4) == 0 ? rnd.nextInt(DiffLayout.BUFFER_SIZE + 2048) - 1024 : rnd.nextInt(DiffLayout.BUFFER_SIZE);
        long kMin = Math.floorDiv(-ea + size - 1, size); // ceil(-ea / size)
        long kMax = Math.floorDiv(DiffLayout.BUFFER_SIZE - size - ea, size);
        if (size == 2) { // a 16-bit offset reaches +-2^15 bits
            kMin = Math.max(kMin, -2048);
            kMax = Math.min(kMax, 2047);
        }
        long k = rnd.nextInt(3) == 0 ? Math.max(kMin, Math.min(kMax, rnd.nextInt(5) - 2))
            : kMin + rnd.nextLong(kMax - kMin + 1);
        long offset = k * bits + rnd.nextInt(bits);
        int reg = ops.writable(false, List.of());
        List<String> setup = new ArrayList<>();
        switch (size) {
            case 2 -> setup.add("movw $" + offset + ", %" + Operands.name(reg, 2, false));
            case 4 -> setup.add(rnd.nextBoolean() ? "movl $" + offset + ", %" + Operands.name(reg, 4, false)
                : "movabsq $0x" + Long.toHexString((rnd.nextLong() << 32) | (offset & 0xFFFF_FFFFL)) + ", %" + Operands.name(reg, 8, false));
            default -> setup.add("movq $" + offset + ", %" + Operands.name(reg, 8, false));
        }
        Mem m = ops.mem(DiffLayout.BUFFER_BASE + ea, g.rsp(), false, List.of(reg));
        setup.addAll(m.setup());
        emit(setup, (op.equals("bt") ? "" : lock()) + mn(op, size, false) + " %" + Operands.name(reg, size, false) + ", " + m.text());
    }

    // ---- data movement

    void mov() {
        int size = size();
        boolean legacy = size == 1 && rnd.nextInt(3) == 0;
        if (rnd.nextInt(12) == 0) { // the moffs forms: accumulator <-> 64-bit absolute address
            String acc = "%" + Operands.name(0, size, false);
            String address = "0x" + Long.toHexString(ops.target(size, g.rsp()));
            emit(List.of(), rnd.nextBoolean() ? "movabs " + address + ", " + acc : "movabs " + acc + ", " + address);
            return;
        }
        switch (rnd.nextInt(5)) {
            case 0 -> emit(List.of(), mn("mov", size, false) + " " + ops.gpr(size, legacy, false, List.of()).text() + ", "
                + ops.gpr(size, legacy, true, List.of()).text());
            case 1 -> {
                Gpr dst = ops.gpr(size, legacy, true, List.of());
                if (size == 8 && rnd.nextBoolean()) {
                    String m = new String[] {"movabsq", "movabs", "movq", "mov"}[rnd.nextInt(4)];
                    emit(List.of(), m + " $0x" + Long.toHexString(ops.value()) + ", " + dst.text());
                } else {
                    emit(List.of(), mn("mov", size, false) + " " + ops.immText(ops.imm(size)) + ", " + dst.text());
                }
            }
            case 2 -> {
                Mem m = mem(size, legacy, List.of());
                emit(m.setup(), mn("mov", size, true) + " " + ops.immText(ops.imm(size)) + ", " + m.text());
            }
            case 3 -> {
                Mem m = mem(size, legacy, List.of());
                emit(m.setup(), mn("mov", size, false) + " " + ops.gpr(size, legacy, false, apart(m)).text() + ", " + m.text());
            }
            default -> {
                Mem m = mem(size, legacy, List.of());
                emit(m.setup(), mn("mov", size, false) + " " + m.text() + ", " + ops.gpr(size, legacy, true, apart(m)).text());
            }
        }
    }

    /** movz/movs with every source/destination size pair; %ah-style sources only with non-REX destinations. */
    void movExtend() {
        Object[] e = EXTENSIONS[rnd.nextInt(EXTENSIONS.length)];
        String name = (String) e[0];
        int src = (Integer) e[1];
        int dst = (Integer) e[2];
        if (rnd.nextBoolean()) {
            Mem m = mem(src, false, List.of());
            emit(m.setup(), name + " " + m.text() + ", " + ops.gpr(dst, false, true, apart(m)).text());
            return;
        }
        boolean legacy = src == 1 && dst != 8 && rnd.nextInt(3) == 0;
        Gpr s = ops.gpr(src, legacy, false, List.of());
        Gpr d = ops.gpr(dst, legacy, true, List.of());
        String mnemonic = rnd.nextInt(4) > 0 ? name
            : src == 4 ? "movsxd" : name.startsWith("movz") ? "movzx" : "movsx";
        emit(List.of(), mnemonic + " " + s.text() + ", " + d.text());
    }

    /** LEA of any base/index/scale/disp combination, into 16/32/64-bit registers; no memory access. */
    void lea() {
        int size = 2 << rnd.nextInt(3);
        if (size == 2 && rnd.nextBoolean()) {
            size = 8;
        }
        boolean base = rnd.nextInt(4) > 0;
        boolean index = rnd.nextInt(5) < 3;
        long disp = switch (rnd.nextInt(4)) {
            case 0 -> 0;
            case 1 -> rnd.nextInt(256) - 128;
            default -> rnd.nextInt();
        };
        StringBuilder a = new StringBuilder();
        if (disp != 0 || !base && !index) {
            a.append(disp < 0 ? Long.toString(disp) : "0x" + Long.toHexString(disp));
        }
        if (base || index) {
            a.append('(');
            if (base) {
                a.append('%').append(Operands.name(rnd.nextInt(16), 8, false));
            }
            if (index) {
                a.append(",%").append(Operands.name(ops.writable(false, List.of()), 8, false)).append(',').append(1 << rnd.nextInt(4));
            }
            a.append(')');
        }
        emit(List.of(), mn("lea", size, false) + " " + a + ", " + ops.gpr(size, false, true, List.of()).text());
    }

    // ---- where the CPU is: RIP-relative addresses and the return addresses CALL pushes

    /**
     * {@code lea K(%rip)} (K a number or a label) measured from a label of the unit, so that
     * native and entrysim (at other addresses) compare the offset: it is right only when RIP is
     * the next instruction's address and every length is gas's. Both registers end up holding
     * the offset: no absolute address is left to compare.
     */
    void ripRelative(String here) {
        int at = ops.writable(false, List.of(Reg.RSP));
        int other = ops.writable(false, List.of(Reg.RSP, at));
        String a = Operands.name(at, 8, false);
        String b = Operands.name(other, 8, false);
        String disp = switch (rnd.nextInt(3)) {
            case 0 -> "0";
            case 1 -> Integer.toString(rnd.nextInt(512) - 256);
            default -> here;
        };
        g.emit(List.of(here + ":", "lea " + here + "(%rip), %" + b, "lea " + disp + "(%rip), %" + a,
                "sub %" + b + ", %" + a, "mov %" + a + ", %" + b, "test %" + a + ", %" + a));
        addressFlags();
    }

    /**
     * The SUB of two absolute addresses sets AF by where the code sits (a borrow out of bit 3),
     * which native and entrysim do not share: the unit ends with a TEST of the offset, which
     * sets the other flags from it and leaves AF undefined (not compared).
     */
    private void addressFlags() {
        g.define(STATUS & ~AF);
        g.undefine(AF);
    }

    /**
     * {@code call} to the next instruction, which pops the return address it pushed: measured
     * from a label of the unit as above, and the stack slot overwritten with the offset.
     */
    void callReturnAddress(String here, String after) {
        int at = ops.writable(false, List.of(Reg.RSP));
        int other = ops.writable(false, List.of(Reg.RSP, at));
        String a = Operands.name(at, 8, false);
        String b = Operands.name(other, 8, false);
        g.emit(List.of(here + ":", "lea " + here + "(%rip), %" + b, "call " + after, after + ":", "pop %" + a,
                "sub %" + b + ", %" + a, "mov %" + a + ", -8(%rsp)", "mov %" + a + ", %" + b, "test %" + a + ", %" + a));
        addressFlags();
    }

    void xchg() {
        int size = size();
        boolean legacy = size == 1 && rnd.nextInt(3) == 0;
        switch (rnd.nextInt(3)) {
            case 0 -> emit(List.of(), mn("xchg", size, false) + " " + ops.gpr(size, legacy, true, List.of()).text() + ", "
                + ops.gpr(size, legacy, true, List.of()).text());
            case 1 -> {
                Mem m = mem(size, legacy, List.of());
                emit(m.setup(), lock() + mn("xchg", size, false) + " " + ops.gpr(size, legacy, true, apart(m)).text() + ", " + m.text());
            }
            default -> {
                Mem m = mem(size, legacy, List.of());
                emit(m.setup(), lock() + mn("xchg", size, false) + " " + m.text() + ", " + ops.gpr(size, legacy, true, apart(m)).text());
            }
        }
    }

    void cmov() {
        String cond = g.condition();
        g.require(ProgramGenerator.reads(cond));
        int size = 2 << rnd.nextInt(3);
        String mnemonic = rnd.nextInt(10) < 3 ? "cmov" + cond + Operands.suffix(size) : "cmov" + cond;
        if (rnd.nextBoolean()) {
            emit(List.of(), mnemonic + " " + ops.gpr(size, false, false, List.of()).text() + ", "
                + ops.gpr(size, false, true, List.of()).text());
        } else {
            Mem m = mem(size, false, List.of());
            emit(m.setup(), mnemonic + " " + m.text() + ", " + ops.gpr(size, false, true, apart(m)).text());
        }
    }

    void setcc() {
        String cond = g.condition();
        g.require(ProgramGenerator.reads(cond));
        if (rnd.nextBoolean()) {
            emit(List.of(), "set" + cond + " " + ops.gpr(1, rnd.nextInt(3) == 0, true, List.of()).text());
        } else {
            Mem m = mem(1, false, List.of());
            emit(m.setup(), "set" + cond + " " + m.text());
        }
    }

    // ---- stack

    /** One push of {@code size} (2 or 8) bytes: a register (%rsp too), an immediate or memory. */
    List<String> push(int size) {
        List<String> lines = new ArrayList<>();
        String mnemonic = rnd.nextInt(3) == 0 ? "push" : size == 8 ? "pushq" : "pushw";
        switch (rnd.nextInt(3)) {
            case 0 -> lines.add(mnemonic + " %" + Operands.name(rnd.nextInt(16), size, false));
            case 1 -> lines.add((size == 8 ? mnemonic : "pushw") + " " + ops.immText(ops.imm(size == 8 ? 8 : 2)));
            default -> {
                Mem m = ops.mem(ops.target(size, g.rsp()), g.rsp(), false, List.of());
                lines.addAll(m.setup());
                lines.add((size == 8 ? "pushq" : "pushw") + " " + m.text());
            }
        }
        return lines;
    }

    /** One pop of {@code size} bytes into a register (never %rsp) or memory (addressed with the incremented %rsp). */
    List<String> pop(int size) {
        List<String> lines = new ArrayList<>();
        if (rnd.nextBoolean()) {
            String mnemonic = rnd.nextInt(3) == 0 ? "pop" : size == 8 ? "popq" : "popw";
            lines.add(mnemonic + " %" + Operands.name(ops.writable(false, List.of()), size, false));
        } else {
            long rspAfter = g.rsp() + size;
            Mem m = ops.mem(ops.target(size, rspAfter), rspAfter, false, List.of());
            lines.addAll(m.setup());
            lines.add((size == 8 ? "popq" : "popw") + " " + m.text());
        }
        return lines;
    }

    // ---- flags

    void flagOp() {
        switch (rnd.nextInt(6)) {
            case 0 -> carry("clc");
            case 1 -> carry("stc");
            case 2 -> {
                g.require(CF);
                g.emit(List.of("cmc"));
            }
            case 3 -> g.emit(List.of("cld"));
            case 4 -> g.emit(List.of("std"));
            default -> g.emit(List.of(nop()));
        }
    }

    /** {@code nop}, or a multi-byte NOP whose memory operand is never accessed (any registers, any address). */
    private String nop() {
        int base = rnd.nextInt(16);
        return switch (rnd.nextInt(4)) {
            case 0 -> "nop";
            case 1 -> "nopl 0x" + Integer.toHexString(rnd.nextInt(256)) + "(%" + Operands.name(base, 8, false) + ")";
            case 2 -> "nopw 0x0(%" + Operands.name(base, 8, false) + ",%" + Operands.name(ops.writable(false, List.of()), 8, false) + ",1)";
            default -> "nop %" + Operands.name(base, rnd.nextBoolean() ? 2 : 4, false);
        };
    }

    private void carry(String op) {
        g.emit(List.of(op));
        g.define(CF);
    }

    /**
     * A random instruction that defines every flag in {@code undefined} and leaves none of
     * {@code wanted} undefined (and reads no flag).
     */
    void definer(long wanted, long undefined) {
        List<String> choices = new ArrayList<>(List.of("add", "sub", "cmp", "neg"));
        if ((wanted & AF) == 0) {
            choices.addAll(List.of("and", "or", "xor", "test"));
        }
        if ((undefined & CF) == 0) {
            choices.addAll(List.of("inc", "dec"));
        }
        if (wanted == CF) {
            choices.addAll(List.of("clc", "stc", "bt", "bts"));
        }
        String op = choices.get(rnd.nextInt(choices.size()));
        switch (op) {
            case "neg", "inc", "dec" -> unary(op);
            case "clc", "stc" -> carry(op);
            case "bt", "bts" -> bitTest(op);
            default -> alu(op);
        }
    }
}
