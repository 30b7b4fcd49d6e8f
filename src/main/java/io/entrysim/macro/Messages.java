package io.entrysim.macro;

import io.entrysim.diag.AsmError;
import io.entrysim.diag.Origin;
import java.util.List;

/** {@code .error}, {@code .warning} and {@code .print}, with gas's wording for their misuse. */
final class Messages {
    private Messages() {}

    static void handle(String directive, String operand, Origin at, List<Warning> warnings) {
        int idx = GasText.skipBlanks(operand, 0);
        if (directive.equals("print")) {
            GasStrings.Decoded text = demandString(operand, idx, at);
            warnings.add(new Warning(at, text.value(), Warning.Kind.PRINT));
            rejectJunk(operand, text.end(), at);
            return;
        }
        String message = "." + directive + " directive invoked in source file";
        int end = idx;
        if (idx < operand.length()) {
            if (operand.charAt(idx) != '"') {
                throw new AsmError(at, "." + directive + " argument must be a string");
            }
            GasStrings.Decoded text = demandString(operand, idx, at);
            message = text.value();
            end = text.end();
        }
        if (directive.equals("error")) {
            throw new AsmError(at, message);
        }
        warnings.add(new Warning(at, message));
        rejectJunk(operand, end, at);
    }

    /** gas {@code demand_copy_C_string}: a string literal without NUL characters. */
    static GasStrings.Decoded demandString(String operand, int idx, Origin at) {
        GasStrings.Decoded text = GasText.cString(operand, idx);
        if (text == null) {
            throw new AsmError(at, "missing string");
        }
        if (text.value().indexOf('\0') >= 0) {
            throw new AsmError(at, "this string may not contain '\\0'");
        }
        return text;
    }

    static void rejectJunk(String operand, int end, Origin at) {
        int junk = GasText.skipBlanks(operand, end);
        if (junk < operand.length()) {
            throw new AsmError(at, GasText.junkMessage(operand.charAt(junk)));
        }
    }
}
