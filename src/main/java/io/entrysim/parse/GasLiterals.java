package io.entrysim.parse;

import java.math.BigInteger;

/** Decoding of gas number, character and string literals (text exactly as lexed). */
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

    /**
     * {@code 'c}, {@code 'c'} or {@code '\n}: gas's preprocessor knows the escapes b f n r t
     * (and \\ \' \"); any other escaped character stands for itself.
     */
    static long character(String text) {
        char c = text.charAt(1);
        if (c != '\\') {
            return c & 0xff;
        }
        return switch (text.charAt(2)) {
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            default -> text.charAt(2) & 0xff;
        };
    }

    /**
     * Unescapes a STRING token (with its quotes) as gas's {@code .ascii} does: \b \f \n \r \t \v,
     * up to three octal digits, \x with any number of hex digits (low byte kept); any other
     * escaped character stands for itself.
     */
    static String string(String token) {
        String s = token.substring(1, token.length() - 1);
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                out.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'v' -> out.append('\u000b');
                case 'x', 'X' -> {
                    int value = 0;
                    while (i + 1 < s.length() && Character.digit(s.charAt(i + 1), 16) >= 0) {
                        value = (value * 16 + Character.digit(s.charAt(++i), 16)) & 0xff;
                    }
                    out.append((char) (value & 0xff));
                }
                default -> {
                    if (Character.isDigit(e)) {
                        // gas accumulates up to three decimal digits in base 8 (so "\8" is 8).
                        int value = e - '0';
                        for (int n = 1; n < 3 && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)); n++) {
                            value = value * 8 + (s.charAt(++i) - '0');
                        }
                        out.append((char) (value & 0xff));
                    } else {
                        out.append(e);
                    }
                }
            }
        }
        return out.toString();
    }
}
