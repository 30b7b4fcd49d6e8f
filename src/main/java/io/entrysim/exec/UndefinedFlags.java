package io.entrysim.exec;

import static io.entrysim.cpu.Flags.AF;
import static io.entrysim.cpu.Flags.CF;
import static io.entrysim.cpu.Flags.OF;
import static io.entrysim.cpu.Flags.PF;
import static io.entrysim.cpu.Flags.SF;
import static io.entrysim.cpu.Flags.STATUS;

import io.entrysim.cpu.Flags;
import java.util.List;

/**
 * Where the Intel SDM (Vol. 2, "Flags Affected" of each instruction) leaves status flags
 * undefined, and what this executor does about it.
 *
 * <p><b>Policy: an undefined flag keeps its previous value</b> (real CPUs write something
 * model-specific; a differential test must mask these flags out). The CPU's
 * {@code undefinedFlags()} mask records which flags are currently undefined; an instruction that
 * later defines a flag clears its bit. With {@code ExecOptions.strictFlags} the executor reports
 * Jcc/SETcc/CMOVcc/ADC/SBB/CMC/PUSHF reading such a flag.
 *
 * <p>Not undefined, and easily confused: INC/DEC leave CF <i>unaffected</i>; BT* leave ZF
 * unaffected; ROL/ROR leave SF ZF AF PF unaffected; any shift or rotate whose masked count is 0
 * affects no flag at all.
 */
public final class UndefinedFlags {
    private UndefinedFlags() {}

    /** AND, OR, XOR, TEST: "The state of the AF flag is undefined." */
    public static final long LOGIC = AF;
    /** BT, BTS, BTR, BTC: "The ZF flag is unaffected. The OF, SF, AF, and PF flags are undefined." */
    public static final long BIT_TEST = OF | SF | AF | PF;
    /** SHL/SHR/SAR with a non-zero count: "For a non-zero count, the AF flag is undefined." */
    public static final long SHIFT = AF;
    /** Shifts and rotates: "The OF flag is affected only for 1-bit shifts ...; otherwise, it is undefined." */
    public static final long MULTI_BIT_SHIFT_OR_ROTATE = OF;
    /** SHL/SHR: CF "is undefined for SHL and SHR instructions where the count is greater than or equal to the size". */
    public static final long WIDE_SHIFT = CF;
    /** MOV to/from CRn: "The OF, SF, ZF, AF, PF, and CF flags are undefined." */
    public static final long MOV_CR = STATUS;

    /** One row of the table: which flags, when, and the SDM's words. */
    public record Rule(String instructions, String when, long undefined, String sdm) {
        @Override
        public String toString() {
            return instructions + " (" + when + "): " + Flags.names(undefined) + " -- SDM: \"" + sdm + "\"";
        }
    }

    public static final List<Rule> TABLE = List.of(
        new Rule("AND OR XOR TEST", "always", LOGIC,
            "The OF and CF flags are cleared; the SF, ZF, and PF flags are set according to the result. "
                + "The state of the AF flag is undefined."),
        new Rule("BT BTS BTR BTC", "always", BIT_TEST,
            "The CF flag contains the value of the selected bit. The ZF flag is unaffected. "
                + "The OF, SF, AF, and PF flags are undefined."),
        new Rule("SHL SHR SAR", "masked count != 0", SHIFT,
            "If the count is 0, the flags are not affected. For a non-zero count, the AF flag is undefined."),
        new Rule("SHL SHR SAR", "masked count > 1", MULTI_BIT_SHIFT_OR_ROTATE,
            "The OF flag is affected only for 1-bit shifts; otherwise, it is undefined."),
        new Rule("SHL SHR", "masked count >= operand bits (8/16-bit operands)", WIDE_SHIFT,
            "The CF flag contains the value of the last bit shifted out of the destination operand; it is "
                + "undefined for SHL and SHR instructions where the count is greater than or equal to the "
                + "size (in bits) of the destination operand."),
        new Rule("ROL ROR", "masked count > 1", MULTI_BIT_SHIFT_OR_ROTATE,
            "If the masked count is 1, then the OF flag is affected, otherwise (masked count is greater "
                + "than 1) the OF flag is undefined. The SF, ZF, AF, and PF flags are always unaffected."),
        new Rule("MOV to/from CR0 CR2 CR3 CR4 CR8", "always", MOV_CR,
            "The OF, SF, ZF, AF, PF, and CF flags are undefined."));
}
