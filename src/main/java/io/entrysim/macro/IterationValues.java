package io.entrysim.macro;

import java.util.ArrayList;
import java.util.List;

/** The values of {@code .irp sym, a, b} (macro-argument rules) and {@code .irpc sym, chars} (gas's expand_irp). */
final class IterationValues {
    private IterationValues() {}

    /** @param idx where the values start (after the symbol and its comma) */
    static List<String> parse(String operand, int idx, boolean characters) {
        List<String> values = new ArrayList<>();
        int n = operand.length();
        if (idx >= n) {
            values.add(""); // no values: the body is assembled once with the symbol empty
            return values;
        }
        if (!characters) {
            StringBuilder value = new StringBuilder();
            while (idx < n) {
                idx = GasText.anyString(operand, idx, value);
                values.add(value.toString());
                idx = GasText.skipComma(operand, idx);
            }
            return values;
        }
        boolean inQuotes = false;
        if (operand.charAt(idx) == '"') {
            inQuotes = true;
            idx++;
        }
        while (idx < n) {
            if (operand.charAt(idx) == '"') {
                inQuotes = !inQuotes;
                int next = GasText.skipBlanks(operand, idx + 1);
                if (next >= n) {
                    break;
                }
            }
            values.add(String.valueOf(operand.charAt(idx++)));
            if (!inQuotes) {
                idx = GasText.skipBlanks(operand, idx);
            }
        }
        return values;
    }
}
