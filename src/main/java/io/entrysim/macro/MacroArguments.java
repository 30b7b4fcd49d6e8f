package io.entrysim.macro;

import io.entrysim.diag.AsmError;
import io.entrysim.diag.Origin;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Binds the operand text of a macro invocation to the formals, as gas's {@code macro_expand}:
 * positional arguments separated by commas or blanks, then (never before) {@code name=value}
 * keyword arguments, {@code :vararg} taking the rest of the line verbatim. Returns the text to
 * substitute for each formal: the actual when non-empty, else the default.
 */
final class MacroArguments {
    private MacroArguments() {}

    static Map<String, String> bind(MacroDef macro, String operand, Origin where, Consumer<Warning> warnings) {
        String macroName = macro.name().toLowerCase();
        List<MacroParam> formals = macro.params();
        Map<String, MacroParam> byName = new HashMap<>();
        for (MacroParam p : formals) {
            byName.put(p.name(), p);
        }
        Map<String, String> actuals = new HashMap<>();
        StringBuilder value = new StringBuilder();
        int next = 0; // the next positional formal
        boolean keywordSeen = false;
        int idx = GasText.skipBlanks(operand, 0);
        int n = operand.length();
        while (idx < n) {
            int scan = idx;
            while (scan < n && !GasText.isArgSeparator(operand.charAt(scan)) && operand.charAt(scan) != '=') {
                scan++;
            }
            if (scan < n && operand.charAt(scan) == '=') {
                keywordSeen = true;
                int end = GasText.tokenEnd(operand, idx);
                if (end >= n || operand.charAt(end) != '=') {
                    throw new AsmError(where, "confusion in formal parameters");
                }
                String name = operand.substring(idx, end);
                MacroParam formal = byName.get(name);
                if (formal == null) {
                    throw new AsmError(where,
                            "Parameter named `" + name + "' does not exist for macro `" + macroName + "'");
                }
                if (!actuals.getOrDefault(name, "").isEmpty()) {
                    warnings.accept(new Warning(where, "Value for parameter `" + name + "' of macro `" + macroName
                            + "' was already specified"));
                }
                idx = GasText.anyString(operand, end + 1, value);
                actuals.put(name, value.toString());
            } else {
                if (keywordSeen) {
                    throw new AsmError(where, "can't mix positional and keyword arguments");
                }
                if (next >= formals.size()) {
                    throw new AsmError(where, "too many positional arguments");
                }
                MacroParam formal = formals.get(next++);
                if (formal.kind() == MacroParam.Kind.VARARG) {
                    actuals.put(formal.name(), operand.substring(idx));
                    idx = n;
                } else {
                    idx = GasText.anyString(operand, idx, value);
                    actuals.put(formal.name(), value.toString());
                }
            }
            idx = GasText.skipComma(operand, idx);
        }
        Map<String, String> values = new HashMap<>();
        for (MacroParam p : formals) {
            String actual = actuals.getOrDefault(p.name(), "");
            if (p.kind() == MacroParam.Kind.REQUIRED && actual.isEmpty()) {
                throw new AsmError(where, "Missing value for required parameter `" + p.name() + "' of macro `"
                        + macroName + "'");
            }
            values.put(p.name(), actual.isEmpty() ? p.defaultValue() : actual);
        }
        return values;
    }
}
