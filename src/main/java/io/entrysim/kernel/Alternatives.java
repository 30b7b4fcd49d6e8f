package io.entrysim.kernel;

import io.entrysim.assemble.CodePatch;
import io.entrysim.assemble.Decoded;
import io.entrysim.assemble.Insn;
import io.entrysim.assemble.MachineCodeDecoder;
import io.entrysim.assemble.Operand;
import io.entrysim.assemble.Program;
import io.entrysim.assemble.SectionExtent;
import io.entrysim.diag.AsmError;
import java.util.List;
import java.util.Set;

/**
 * The kernel's {@code .altinstructions} table, applied as {@code apply_alternatives()} does at
 * boot: for each entry whose feature the CPU has (or, with the "not" flag, lacks), the
 * replacement is copied over the original instruction, its relative branches and RIP-relative
 * operands that reach outside the replacement are fixed up for the new address, and the rest of
 * the site is filled with the kernel's NOPs. Entries are applied in table order, so of two
 * entries for one site ({@code ALTERNATIVE_2}) the later wins.
 *
 * <p>Differences from the kernel, none visible to the program: v4.x kernels fix up only a first
 * {@code call}/{@code jmp} (entrysim fixes every instruction, as 6.x kernels do), and kernels
 * shorten a relocated {@code jmp} to 2 bytes and merge NOP runs ({@code optimize_nops()}); entrysim
 * keeps the replacement's own encoding and leaves sites it does not patch as assembled.
 */
final class Alternatives {
    static final String SECTION = ".altinstructions";

    /** One {@code struct alt_instr}, its offsets resolved to addresses; {@code padLength} -1 where the era has none. */
    record Entry(long tableAddress, long instr, long replacement, int feature, boolean inverted,
                 int instrLength, int replacementLength, int padLength) {}

    /** The layouts of {@code struct alt_instr} across kernel eras (each field relative to its own address). */
    enum Layout implements TableLayouts.Layout<Entry> {
        /** 4.x and early 5.x: {@code s32 instr_offset, s32 repl_offset, u16 cpuid, u8 instrlen, u8 replacementlen, u8 padlen}. */
        CPUID16_PADLEN(13),
        /** Later 5.x to early 6.x: the same without {@code padlen}. */
        CPUID16(12),
        /** 6.x: {@code u32 ft_flags} (feature in the low 16 bits, flags above it) in place of {@code cpuid}. */
        FT_FLAGS(14);

        final int size;

        Layout(int size) {
            this.size = size;
        }

        @Override
        public int size() {
            return size;
        }

        /** The entry at {@code table[at]}; null when an offset reaches no code. */
        @Override
        public Entry read(ImageBytes image, byte[] table, int at, long address) {
            Long instr = image.relativeCodeAddress(address + at, ImageBytes.s32(table, at));
            Long repl = image.relativeCodeAddress(address + at + 4, ImageBytes.s32(table, at + 4));
            if (instr == null || repl == null) {
                return null;
            }
            int feature;
            boolean inverted;
            int lengths;
            if (this == FT_FLAGS) {
                long flags = ImageBytes.u32(table, at + 8);
                feature = (int) (flags & 0xffff);
                inverted = (flags & NOT_FLAG_FT) != 0;
                lengths = at + 12;
            } else {
                long cpuid = ImageBytes.u16(table, at + 8);
                feature = (int) (cpuid & 0x7fff);
                inverted = (cpuid & NOT_FLAG_CPUID16) != 0;
                lengths = at + 10;
            }
            int pad = this == CPUID16_PADLEN ? table[at + 12] & 0xff : -1;
            return new Entry(address + at, instr, repl, feature, inverted, table[lengths] & 0xff,
                    table[lengths + 1] & 0xff, pad);
        }
    }

    /** {@code ALT_NOT()} in the 16-bit cpuid field (5.x: {@code ALTINSTR_FLAG_INV}, bit 15). */
    private static final long NOT_FLAG_CPUID16 = 1L << 15;
    /** {@code ALT_FLAG_NOT << ALT_FLAGS_SHIFT} in {@code ft_flags} (6.x). */
    private static final long NOT_FLAG_FT = 1L << 16;
    /** Beyond every era's {@code (NCAPINTS + NBUGINTS) * 32}: no real entry names a feature this high. */
    private static final int MAX_FEATURE_BITS = 64 * 32;

    private Alternatives() {}

    /**
     * The table's entries, read with the first layout under which every entry is plausible
     * (both addresses in code, lengths that fit, a feature number in range); null when no layout
     * fits (the caller says so and patches nothing).
     */
    static List<Entry> read(ImageBytes image, SectionExtent table) {
        return TableLayouts.read(image, table, Layout.values(), e -> e.instrLength > 0
                && e.replacementLength <= e.instrLength && e.feature < MAX_FEATURE_BITS
                && image.inCode(e.instr, e.instrLength)
                && (e.replacementLength == 0 || image.inCode(e.replacement, e.replacementLength))
                && (e.padLength < 0 || e.padLength <= e.instrLength));
    }

    /** Whether the boot CPU takes this entry's replacement. */
    static boolean applies(Entry e, Set<Long> features) {
        return features.contains((long) e.feature) != e.inverted;
    }

    /** The bytes written over {@code e}'s site: the replacement, fixed up, then NOPs. */
    static CodePatch patch(Program program, ImageBytes image, Entry e) {
        byte[] site = new byte[e.instrLength];
        byte[] replacement = image.bytes(e.replacement, e.replacementLength);
        System.arraycopy(replacement, 0, site, 0, replacement.length);
        relocate(program, site, e);
        KernelNops.fill(site, e.replacementLength, e.instrLength - e.replacementLength);
        return new CodePatch(e.instr, site, e.replacement, e.replacementLength);
    }

    /**
     * Fixes the displacement of every instruction in {@code site[0, replacementLength)} that
     * reaches outside the replacement, so that at the site it reaches the same address.
     */
    private static void relocate(Program program, byte[] site, Entry e) {
        long delta = e.replacement - e.instr;
        int offset = 0;
        while (offset < e.replacementLength) {
            Decoded d = MachineCodeDecoder.decode(site, offset, e.replacement + offset);
            if (!(d instanceof Decoded.Instruction at)) {
                return;     // bytes the CPU cannot run: the executor says so if they are reached
            }
            Long reach = reach(at.insn());
            int length = at.length();
            if (reach != null && Long.compareUnsigned(reach - e.replacement, e.replacementLength) >= 0 && delta != 0
                    && !fixDisplacement(site, offset, length, e.instr + offset, reach, delta)) {
                throw new AsmError(originOf(program, e.replacement + offset), String.format(
                        "alternative replacement `%s' cannot be moved to 0x%x: its displacement does not reach 0x%x from there",
                        at.insn().text, e.instr + offset, reach));
            }
            offset += length;
        }
    }

    /** Finds the displacement field (its value is the reach relative to the old address) and moves it by {@code delta}. */
    private static boolean fixDisplacement(byte[] site, int offset, int length, long newAddress, long reach, long delta) {
        for (int width : new int[] {4, 1}) {
            for (int p = offset + length - width; p > offset; p--) {
                byte[] trial = site.clone();
                long old = width == 4 ? ImageBytes.s32(trial, p) : trial[p];
                long moved = old + delta;
                if (width == 1 ? moved != (byte) moved : moved != (int) moved) {
                    continue;
                }
                for (int k = 0; k < width; k++) {
                    trial[p + k] = (byte) (moved >> (8 * k));
                }
                Decoded d = MachineCodeDecoder.decode(trial, offset, newAddress);
                if (d instanceof Decoded.Instruction i && i.length() == length && Long.valueOf(reach).equals(reach(i.insn()))) {
                    System.arraycopy(trial, p, site, p, width);
                    return true;
                }
            }
        }
        return false;
    }

    /** Where a direct branch or a RIP-relative operand reaches; null for anything else. */
    private static Long reach(Insn insn) {
        if (insn.targetAddress != Insn.NO_TARGET_ADDRESS) {
            return insn.targetAddress;
        }
        for (Operand o : insn.operands) {
            if (o instanceof Operand.Mem m && m.ripRelative()) {
                return m.disp();
            }
        }
        return null;
    }

    static io.entrysim.diag.Origin originOf(Program program, long address) {
        int index = program.indexOf(address);
        return index >= 0 ? program.code()[index].origin : program.emittedBy(address);
    }
}
