package io.entrysim.source;

import java.nio.charset.StandardCharsets;

/** Values of pp-numbers and character constants in {@code #if}, with libcpp's rules and messages. */
final class IntegerConstants {
    /** A value in {@code #if} arithmetic: intmax_t, or uintmax_t when {@code unsigned}. */
    record Num(long value, boolean unsigned) {
        static final Num ZERO = new Num(0, false);
        static final Num ONE = new Num(1, false);

        static Num bool(boolean b) {
            return b ? ONE : ZERO;
        }

        boolean isTrue() {
            return value != 0;
        }
    }

    private IntegerConstants() {}

    static Num number(PpToken t, PpDiagnostics diag) {
        String s = t.text();
        int i = 0;
        int radix = 10;
        if (s.charAt(0) == '0') {
            radix = 8;
            i = 1;
            if (i + 1 < s.length() && (s.charAt(i) == 'x' || s.charAt(i) == 'X')
                    && (s.charAt(i + 1) == '.' || Character.digit(s.charAt(i + 1), 16) >= 0)) {
                radix = 16;
                i++;
            } else if (i + 1 < s.length() && (s.charAt(i) == 'b' || s.charAt(i) == 'B')
                    && (s.charAt(i + 1) == '0' || s.charAt(i + 1) == '1')) {
                radix = 2;
                i++;
            }
        }
        int digitsStart = i;
        int maxDigit = 0;
        boolean isFloat = false;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c >= '0' && c <= '9') || (radix == 16 && Character.digit(c, 16) >= 0)) {
                maxDigit = Math.max(maxDigit, Character.digit(c, 16));
            } else if (c == '.' || (radix <= 10 && (c == 'e' || c == 'E')) || (radix == 16 && (c == 'p' || c == 'P'))) {
                isFloat = true;
                break;
            } else {
                break;
            }
        }
        if (isFloat) {
            throw diag.error(t, "floating constant in preprocessor expression");
        }
        if (maxDigit >= radix) {
            throw diag.error(t, "invalid digit \"" + maxDigit + "\" in " + (radix == 2 ? "binary" : "octal") + " constant");
        }
        String suffix = s.substring(i);
        Boolean unsignedSuffix = integerSuffix(suffix);
        if (unsignedSuffix == null) {
            throw diag.error(t, "invalid suffix \"" + suffix + "\" on integer constant");
        }
        long value = 0;
        boolean overflow = false;
        for (int k = digitsStart; k < i; k++) {
            int d = Character.digit(s.charAt(k), 16);
            if (Long.compareUnsigned(value, Long.divideUnsigned(-1L - d, radix)) > 0) {
                overflow = true; // past uintmax_t: gcc keeps the low bits
            }
            value = value * radix + d;
        }
        boolean unsigned = unsignedSuffix;
        if (overflow) {
            diag.warning(t, "integer constant is too large for its type");
        } else if (!unsigned && value < 0) {
            if (radix == 10) {
                diag.warning(t, "integer constant is so large that it is unsigned");
            }
            unsigned = true;
        }
        return new Num(value, unsigned);
    }

    /** TRUE for a u/U suffix, FALSE for none, null when the suffix is not an integer suffix. */
    private static Boolean integerSuffix(String suffix) {
        boolean unsigned = false;
        String rest = suffix;
        if (rest.startsWith("u") || rest.startsWith("U")) {
            unsigned = true;
            rest = rest.substring(1);
        } else if (rest.endsWith("u") || rest.endsWith("U")) {
            unsigned = true;
            rest = rest.substring(0, rest.length() - 1);
        }
        return switch (rest) {
            case "", "l", "L", "ll", "LL" -> unsigned;
            default -> null;
        };
    }

    /** A character constant: int, with plain char signed as on x86-64. */
    static Num character(PpToken t, PpDiagnostics diag) {
        boolean wide = t.text().startsWith("L");
        String quoted = wide ? t.text().substring(1) : t.text();
        byte[] bytes = quoted.substring(1, quoted.length() - 1).getBytes(StandardCharsets.UTF_8);
        long result = 0;
        int count = 0;
        for (int i = 0; i < bytes.length; count++) {
            int c = bytes[i++] & 0xff;
            if (c == '\\' && i < bytes.length) {
                int e = bytes[i++] & 0xff;
                switch (e) {
                    case 'n' -> c = 10;
                    case 't' -> c = 9;
                    case 'r' -> c = 13;
                    case 'a' -> c = 7;
                    case 'b' -> c = 8;
                    case 'f' -> c = 12;
                    case 'v' -> c = 11;
                    case 'e', 'E' -> c = 27;
                    case '\\', '\'', '"', '?' -> c = e;
                    case 'x' -> {
                        int v = 0;
                        int digits = 0;
                        while (i < bytes.length && Character.digit(bytes[i], 16) >= 0) {
                            v = (v << 4) | Character.digit(bytes[i++], 16);
                            digits++;
                            if (v > 0xff) {
                                v &= 0xfff;
                            }
                        }
                        if (digits == 0) {
                            throw diag.error(t, "\\x used with no following hex digits");
                        }
                        if (v > 0xff) {
                            diag.warning(t, "hex escape sequence out of range");
                        }
                        c = v & 0xff;
                    }
                    default -> {
                        if (e >= '0' && e <= '7') {
                            int v = e - '0';
                            for (int k = 0; k < 2 && i < bytes.length && bytes[i] >= '0' && bytes[i] <= '7'; k++) {
                                v = (v << 3) | (bytes[i++] - '0');
                            }
                            if (v > 0xff) {
                                diag.warning(t, "octal escape sequence out of range");
                            }
                            c = v & 0xff;
                        } else {
                            diag.warning(t, "unknown escape sequence: '\\" + (char) e + "'");
                            c = e;
                        }
                    }
                }
            }
            result = wide ? c : ((result << 8) | c) & 0xffffffffL; // wchar_t: the last character counts
        }
        if (count == 0) {
            throw diag.error(t, "empty character constant");
        }
        if (wide) {
            if (count > 1) {
                diag.warning(t, "character constant too long for its type");
            }
            return new Num(result, false);
        }
        if (count > 4) {
            diag.warning(t, "character constant too long for its type");
        } else if (count > 1) {
            diag.warning(t, "multi-character character constant");
        }
        long value = count == 1 ? (byte) result : (int) result;
        return new Num(value, false);
    }
}
