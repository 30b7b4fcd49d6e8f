package io.entrysim.assemble;

import java.util.Map;

/**
 * Resolves AT&amp;T mnemonic spellings: size suffixes (b/w/l/q), condition aliases (jnc = jae,
 * setz = sete, cmovnz = cmovne) and the movz/movs forms ({@code movzbl}, {@code movslq}, ...).
 * A mnemonic is looked up whole first and only then with a suffix removed, because several
 * are spelled like a shorter one plus a suffix letter ({@code bts}, {@code setl}, {@code cmovl}).
 */
public final class Mnemonics {
    private Mnemonics() {}

    private static final Map<String, Op> BASE = Map.ofEntries(
            Map.entry("mov", Op.MOV), Map.entry("movabs", Op.MOV), Map.entry("lea", Op.LEA),
            Map.entry("xchg", Op.XCHG), Map.entry("push", Op.PUSH), Map.entry("pop", Op.POP),
            Map.entry("pushf", Op.PUSHF), Map.entry("popf", Op.POPF), Map.entry("leave", Op.LEAVE),
            Map.entry("add", Op.ADD), Map.entry("sub", Op.SUB), Map.entry("adc", Op.ADC), Map.entry("sbb", Op.SBB),
            Map.entry("and", Op.AND), Map.entry("or", Op.OR), Map.entry("xor", Op.XOR), Map.entry("cmp", Op.CMP),
            Map.entry("test", Op.TEST), Map.entry("inc", Op.INC), Map.entry("dec", Op.DEC), Map.entry("neg", Op.NEG),
            Map.entry("not", Op.NOT), Map.entry("shl", Op.SHL), Map.entry("sal", Op.SHL), Map.entry("shr", Op.SHR),
            Map.entry("sar", Op.SAR), Map.entry("rol", Op.ROL), Map.entry("ror", Op.ROR),
            Map.entry("bt", Op.BT), Map.entry("bts", Op.BTS), Map.entry("btr", Op.BTR), Map.entry("btc", Op.BTC),
            Map.entry("jmp", Op.JMP), Map.entry("call", Op.CALL), Map.entry("ret", Op.RET),
            Map.entry("nop", Op.NOP), Map.entry("hlt", Op.HLT), Map.entry("ud2", Op.UD2), Map.entry("swapgs", Op.SWAPGS),
            Map.entry("cld", Op.CLD), Map.entry("std", Op.STD), Map.entry("clc", Op.CLC), Map.entry("stc", Op.STC),
            Map.entry("cmc", Op.CMC), Map.entry("lfence", Op.LFENCE), Map.entry("mfence", Op.MFENCE),
            Map.entry("sfence", Op.SFENCE), Map.entry("clac", Op.CLAC), Map.entry("stac", Op.STAC),
            Map.entry("cli", Op.CLI), Map.entry("sti", Op.STI), Map.entry("rdmsr", Op.RDMSR),
            Map.entry("wrmsr", Op.WRMSR), Map.entry("rdgsbase", Op.RDGSBASE), Map.entry("wrgsbase", Op.WRGSBASE),
            Map.entry("rdfsbase", Op.RDFSBASE), Map.entry("wrfsbase", Op.WRFSBASE), Map.entry("syscall", Op.SYSCALL),
            Map.entry("verw", Op.VERW), Map.entry("lsl", Op.LSL), Map.entry("lar", Op.LAR), Map.entry("rdpid", Op.RDPID), Map.entry("sysenter", Op.SYSENTER),
            Map.entry("int", Op.INT), Map.entry("int3", Op.INT), Map.entry("int1", Op.INT1),
            Map.entry("pause", Op.NOP), Map.entry("endbr64", Op.NOP),
            Map.entry("movzx", Op.MOVZX), Map.entry("movsx", Op.MOVSX), Map.entry("movsxd", Op.MOVSX));

    /** Instructions whose size is fixed by the instruction itself, not by operands. */
    static boolean takesNoSuffix(Op op) {
        return switch (op) {
            case JCC, SETCC, HLT, UD2, SWAPGS, CLD, STD, CLC, STC, CMC, LFENCE, MFENCE, SFENCE, CLAC, STAC,
                 CLI, STI, RDMSR, WRMSR, SYSCALL, RDGSBASE, WRGSBASE, RDFSBASE, WRFSBASE, INT, INT1, RDPID, SYSENTER -> true;
            default -> false;
        };
    }

    /** True if {@code m} is a mnemonic (or prefix) entrysim assembles. */
    public static boolean isKnown(String m) {
        return resolve(m) != null || Prefixes.isPrefix(m);
    }

    /**
     * The base of {@code m} when {@code m} is an instruction that takes no suffix with one ({@code
     * ud2l}: gas's "invalid instruction suffix for `ud2'"), else null.
     */
    static String baseOfWronglySuffixed(String m) {
        if (m.length() < 2 || suffixSize(m.charAt(m.length() - 1)) == 0) {
            return null;
        }
        String base = m.substring(0, m.length() - 1);
        Mnemonic r = resolveWhole(base);
        return r != null && takesNoSuffix(r.op()) ? base : null;
    }

    /** Resolves the mnemonic, or returns null when it is not one entrysim knows. */
    static Mnemonic resolve(String m) {
        Mnemonic r = resolveWhole(m);
        if (r != null) {
            return r;
        }
        int size = suffixSize(m.charAt(m.length() - 1));
        if (size != 0 && m.length() > 1) {
            r = resolveWhole(m.substring(0, m.length() - 1));
            if (r != null && !takesNoSuffix(r.op()) && r.suffixSize() == 0) {
                return new Mnemonic(r.op(), size, r.cond(), r.srcSize());
            }
        }
        return null;
    }

    private static Mnemonic resolveWhole(String m) {
        Op op = BASE.get(m);
        if (op != null) {
            return new Mnemonic(op, 0, null, 0);
        }
        // sysret/iret: the suffix picks the mode returned to (l: compat, q: 64-bit); plain
        // sysret is the 32-bit form as gas encodes it, plain iret likewise.
        switch (m) {
            case "sysretq": return new Mnemonic(Op.SYSRET, 8, null, 0);
            case "sysretl", "sysret": return new Mnemonic(Op.SYSRET, 4, null, 0);
            case "iretq": return new Mnemonic(Op.IRET, 8, null, 0);
            case "sysexitq": return new Mnemonic(Op.SYSEXIT, 8, null, 0);
            case "sysexitl", "sysexit": return new Mnemonic(Op.SYSEXIT, 4, null, 0);
            case "iretl", "iret": return new Mnemonic(Op.IRET, 4, null, 0);
            default: break;
        }
        if (m.startsWith("cmov")) {
            Cond c = Cond.bySuffix(m.substring(4));
            return c == null ? null : new Mnemonic(Op.CMOVCC, 0, c, 0);
        }
        if (m.startsWith("set")) {
            Cond c = Cond.bySuffix(m.substring(3));
            return c == null ? null : new Mnemonic(Op.SETCC, 1, c, 0);
        }
        if (m.startsWith("j") && !m.equals("jmp")) {
            Cond c = Cond.bySuffix(m.substring(1));
            return c == null ? null : new Mnemonic(Op.JCC, 0, c, 0);
        }
        // movzbl, movzwq, movsbw, movslq, ...: source size letter, then destination size letter
        if (m.length() == 6 && (m.startsWith("movz") || m.startsWith("movs"))) {
            int src = suffixSize(m.charAt(4));
            int dst = suffixSize(m.charAt(5));
            boolean zero = m.charAt(3) == 'z';
            if (src != 0 && dst > src && !(zero && src == 4)) {
                return new Mnemonic(zero ? Op.MOVZX : Op.MOVSX, dst, null, src);
            }
        }
        return null;
    }

    static int suffixSize(char c) {
        return switch (c) {
            case 'b' -> 1;
            case 'w' -> 2;
            case 'l' -> 4;
            case 'q' -> 8;
            default -> 0;
        };
    }

    static char suffixLetter(int size) {
        return switch (size) {
            case 1 -> 'b';
            case 2 -> 'w';
            case 4 -> 'l';
            default -> 'q';
        };
    }
}
