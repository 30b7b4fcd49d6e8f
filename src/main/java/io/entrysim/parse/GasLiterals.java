package io.entrysim.parse;

import java.math.BigInteger;

/** Decoding of gas number literals (text exactly as lexed); strings and characters: {@link io.entrysim.macro.GasStrings}. */
final class GasLiterals {
    private GasLiterals() {}

    /** Offset of the first digit that is not octal in a leading-zero number, or -1 if none. */
    static int badOctalDigit(String dec) {
        if (dec.length() > 1 && dec.charAt(0) == '0') {
            for (int i = 1; i < dec.length(); i++) {
                if (dec.charAt(i) > '7') {
                    return i;
                }
            }
        }
        return -1;
    }

    /**
     * The number of a local label ({@code 12:}, {@code 12b}) from its decimal digits, or -1 when
     * it is past 2^31-1, the largest gas takes.
     */
    static int localLabel(String digits) {
        int i = 0;
        while (i < digits.length() - 1 && digits.charAt(i) == '0') {
            i++;
        }
        String significant = digits.substring(i);
        if (significant.length() > 10 || Long.parseLong(significant) > Integer.MAX_VALUE) {
            return -1;
        }
        return Integer.parseInt(significant);
    }

    /**
     * Value of a DEC/HEX/BIN token. Numbers wider than 64 bits are truncated to their low 64
     * bits, as gas does for {@code .quad} (it warns "bignum truncated to 8 bytes").
     */
    static long number(String text) {
        String digits = text;
        int radix = 10;
        if (text.length() > 2 && (text.charAt(1) == 'x' || text.charAt(1) == 'X')) {
            digits = text.substring(2);
            radix = 16;
        } else if (text.length() > 2 && (text.charAt(1) == 'b' || text.charAt(1) == 'B')) {
            digits = text.substring(2);
            radix = 2;
        } else if (text.length() > 1 && text.charAt(0) == '0') {
            digits = text.substring(1);
            radix = 8;
        }
        try {
            return Long.parseUnsignedLong(digits, radix);
        } catch (NumberFormatException wider) {
            return new BigInteger(digits, radix).longValue();
        }
    }
}
