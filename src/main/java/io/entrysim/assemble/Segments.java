package io.entrysim.assemble;

import io.entrysim.cpu.Reg;

/**
 * The segment-override prefix of a memory operand, as gas decides it: the segment as written,
 * unless it names the segment the address uses anyway (%ss with a %rsp or %rbp base, %ds
 * otherwise, %r12 and %r13 included), in which case gas emits nothing.
 */
final class Segments {
    private Segments() {}

    /** The prefix byte for the operand, 0 for none; {@code written} null: only FS/GS from the operand. */
    static int overridePrefix(String written, Operand.Mem m) {
        String seg = written != null ? written
                : m.seg() == Operand.Mem.SEG_FS ? "fs" : m.seg() == Operand.Mem.SEG_GS ? "gs" : null;
        if (seg == null) {
            return 0;
        }
        boolean stack = !m.ripRelative() && (m.base() == Reg.RSP || m.base() == Reg.RBP);
        if (seg.equals(stack ? "ss" : "ds")) {
            return 0;
        }
        return switch (seg) {
            case "es" -> 0x26;
            case "cs" -> 0x2e;
            case "ss" -> 0x36;
            case "ds" -> 0x3e;
            case "fs" -> 0x64;
            case "gs" -> 0x65;
            default -> throw new Encoder.UnencodableException("bad segment register `%" + seg + "'");
        };
    }
}
