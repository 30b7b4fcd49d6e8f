package io.entrysim.session;

import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Msr;
import io.entrysim.cpu.Reg;
import io.entrysim.diag.AsmError;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/** Applies {@code --set REG=VALUE} and {@code --mem ADDR=VALUE[:SIZE]} to the starting machine. */
public final class InitialState {
    private InitialState() {}

    public static void apply(Cpu cpu, List<String> sets, List<String> mems, UserExpressions exprs) {
        for (String s : sets) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new AsmError(null, "--set wants REG=VALUE, not `" + s + "'");
            }
            String reg = s.substring(0, eq).trim().toLowerCase(Locale.ROOT).replaceFirst("^%", "");
            long v = exprs.value(s.substring(eq + 1), "--set " + reg);
            setRegister(cpu, reg, v);
        }
        for (String m : mems) {
            int eq = m.lastIndexOf('=');
            if (eq <= 0) {
                throw new AsmError(null, "--mem wants ADDR_EXPR=VALUE[:SIZE], not `" + m + "'");
            }
            String value = m.substring(eq + 1);
            int size = 8;
            int colon = value.lastIndexOf(':');
            if (colon >= 0) {
                size = parseSize(value.substring(colon + 1), m);
                value = value.substring(0, colon);
            }
            long addr = exprs.address(m.substring(0, eq), "--mem", cpu.fsBase());
            long v = exprs.value(value, "--mem");
            if (size < 8 && (v >= 1L << (8 * size) || v < -(1L << (8 * size - 1)))) {
                throw new AsmError(null, String.format("--mem: 0x%x does not fit in %d byte%s in `%s'", v, size,
                        size == 1 ? "" : "s", m));
            }
            cpu.memory().poke(addr, size, v);
        }
    }

    private static int parseSize(String s, String whole) {
        return switch (s.trim()) {
            case "1" -> 1;
            case "2" -> 2;
            case "4" -> 4;
            case "8" -> 8;
            default -> throw new AsmError(null, "--mem SIZE must be 1, 2, 4 or 8 in `" + whole + "'");
        };
    }

    static void setRegister(Cpu cpu, String reg, long v) {
        int gpr = Reg.byName64(reg);
        if (gpr >= 0) {
            cpu.setReg(gpr, v);
            return;
        }
        switch (reg) {
            case "rflags", "eflags" -> cpu.setRflags(v);
            case "cr0" -> cpu.setCr0(v);
            case "cr3" -> cpu.setCr3(v);
            case "cr4" -> cpu.setCr4(v);
            case "gs_base" -> cpu.setGsBase(v);
            case "fs_base" -> cpu.setFsBase(v);
            case "kernel_gs_base", "k_gs_base" -> cpu.setKernelGsBase(v);
            case "cs" -> cpu.setCs(selector(reg, v));
            case "ss" -> cpu.setSs(selector(reg, v));
            default -> {
                OptionalInt msr = msrByName(reg);
                if (msr.isEmpty()) {
                    throw new AsmError(null, "--set: unknown register `" + reg + "' (a GPR, rflags, cr0, cr3, cr4, "
                            + "gs_base, fs_base, kernel_gs_base, cs, ss, or an MSR: efer, star, lstar, cstar, "
                            + "syscall_mask, ia32_spec_ctrl, ia32_sysenter_cs/esp/eip, tsc_aux)");
                }
                cpu.setMsr(msr.getAsInt(), v);
            }
        }
    }

    /** A segment selector: 16 bits, refused rather than truncated. */
    private static int selector(String reg, long v) {
        if (v < 0 || v > 0xffff) {
            throw new AsmError(null, String.format("--set %s: a selector is 16 bits, not 0x%x", reg, v));
        }
        return (int) v;
    }

    /**
     * An MSR by its msr-index.h name without MSR_ (case-insensitive). Empty when unknown: not a
     * negative sentinel, since the architectural MSRs at 0xc0000080 and up are negative ints.
     */
    private static OptionalInt msrByName(String name) {
        for (int slot = 0; slot < Msr.STORED; slot++) {
            int index = Msr.indexOfSlot(slot);
            if (Msr.name(index).equalsIgnoreCase(name)) {
                return OptionalInt.of(index);
            }
        }
        return OptionalInt.empty();
    }
}
