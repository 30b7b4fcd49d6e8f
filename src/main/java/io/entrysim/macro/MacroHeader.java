package io.entrysim.macro;

import io.entrysim.diag.AsmError;
import io.entrysim.diag.Origin;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The operand of {@code .macro}: the name and the formal parameters, parsed like gas's
 * {@code define_macro} / {@code do_formals} (blanks or commas between formals, {@code :req},
 * {@code :vararg} only last, {@code =default}), with gas's diagnostics.
 */
record MacroHeader(String name, List<MacroParam> params) {

    /** The name alone (for the "end of file in definition" message), empty when missing. */
    static String nameOf(String operand) {
        int start = GasText.skipBlanks(operand, 0);
        return operand.substring(start, GasText.tokenEnd(operand, start));
    }

    static MacroHeader parse(String operand, Origin where, Consumer<Warning> warnings) {
        int idx = GasText.skipBlanks(operand, 0);
        int nameEnd = GasText.tokenEnd(operand, idx);
        String name = operand.substring(idx, nameEnd);
        if (name.isEmpty()) {
            throw new AsmError(where, "Missing macro name");
        }
        List<MacroParam> params = new ArrayList<>();
        int afterName = GasText.skipBlanks(operand, nameEnd);
        int formals = GasText.skipComma(operand, afterName);
        if (formals == afterName || formals < operand.length()) {
            idx = parseFormals(operand, formals, name, params, where, warnings);
        } else {
            idx = afterName; // a lone trailing comma
        }
        if (idx < operand.length()) {
            throw new AsmError(where, "Bad parameter list for macro `" + name.toLowerCase() + "'");
        }
        return new MacroHeader(name, params);
    }

    private static int parseFormals(String s, int idx, String macro, List<MacroParam> params, Origin where,
            Consumer<Warning> warnings) {
        Set<String> seen = new HashSet<>();
        StringBuilder value = new StringBuilder();
        idx = GasText.skipBlanks(s, idx);
        while (idx < s.length()) {
            int end = GasText.tokenEnd(s, idx);
            if (end == idx) {
                if (!params.isEmpty()) {
                    idx--;
                }
                break;
            }
            String name = s.substring(idx, end);
            idx = GasText.skipBlanks(s, end);
            MacroParam.Kind kind = MacroParam.Kind.OPTIONAL;
            if (idx < s.length() && s.charAt(idx) == ':') {
                int qualStart = GasText.skipBlanks(s, idx + 1);
                int qualEnd = GasText.tokenEnd(s, qualStart);
                String qualifier = s.substring(qualStart, qualEnd);
                kind = switch (qualifier) {
                    case "req" -> MacroParam.Kind.REQUIRED;
                    case "vararg" -> MacroParam.Kind.VARARG;
                    case "" -> throw new AsmError(where,
                            "Missing parameter qualifier for `" + name + "' in macro `" + macro + "'");
                    default -> throw new AsmError(where, "`" + qualifier
                            + "' is not a valid parameter qualifier for `" + name + "' in macro `" + macro + "'");
                };
                idx = GasText.skipBlanks(s, qualEnd);
            }
            String defaultValue = "";
            if (idx < s.length() && s.charAt(idx) == '=') {
                idx = GasText.skipBlanks(s, GasText.anyString(s, idx + 1, value));
                defaultValue = value.toString();
                if (kind == MacroParam.Kind.REQUIRED) {
                    defaultValue = "";
                    warnings.accept(new Warning(where, "Pointless default value for required parameter `" + name
                            + "' in macro `" + macro + "'"));
                }
            }
            if (!seen.add(name)) {
                throw new AsmError(where, "A parameter named `" + name + "' already exists for macro `" + macro + "'");
            }
            params.add(new MacroParam(name, defaultValue, kind));
            if (kind == MacroParam.Kind.VARARG) {
                break;
            }
            int beforeComma = idx;
            idx = GasText.skipComma(s, idx);
            if (idx != beforeComma && idx >= s.length()) {
                idx = beforeComma;
                break;
            }
        }
        return idx;
    }
}
