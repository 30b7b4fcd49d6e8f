package io.entrysim.macro;

import io.entrysim.diag.AsmError;
import io.entrysim.diag.Origin;
import java.util.Set;

/**
 * The conditional-assembly directives: gas's {@code .if} family, {@code .else}, {@code .elseif},
 * {@code .endif}, plus entrysim's {@code .ifcpufeature} and {@code .ifstatickey}. These run even
 * inside a skipped branch (to keep nesting right), where they evaluate nothing.
 */
final class ConditionalDirectives {
    private final ConditionStack stack;
    private final ConditionEvaluator evaluator;
    private final KnownSymbols symbols;
    private final ExpanderConfig config;
    private final Set<String> staticKeysConsulted;

    ConditionalDirectives(ConditionStack stack, ConditionEvaluator evaluator, KnownSymbols symbols,
            ExpanderConfig config, Set<String> staticKeysConsulted) {
        this.stack = stack;
        this.evaluator = evaluator;
        this.symbols = symbols;
        this.config = config;
        this.staticKeysConsulted = staticKeysConsulted;
    }

    /** Whether {@code name} (lower case, no dot) is handled here. */
    static boolean handles(String name) {
        return switch (name) {
            case "if", "ifne", "ifeq", "ifge", "ifgt", "ifle", "iflt", "ifdef", "ifndef", "ifnotdef", "ifb", "ifnb",
                    "ifc", "ifnc", "ifeqs", "ifnes", "ifcpufeature", "ifstatickey", "elseif", "else", "endif",
                    "endc" -> true;
            default -> false;
        };
    }

    /**
     * @param name    directive, lower case without the dot
     * @param operand the text after the directive name
     * @param nest    the current macro/repeat nesting level
     */
    void handle(String name, String operand, Origin at, int nest) {
        boolean live = !stack.ignoring();
        switch (name) {
            case "if", "ifne" -> stack.push(at, nest, live && eval(operand, at, "if") != 0);
            case "ifeq" -> stack.push(at, nest, live && eval(operand, at, "if") == 0);
            case "ifge" -> stack.push(at, nest, live && eval(operand, at, "if") >= 0);
            case "ifgt" -> stack.push(at, nest, live && eval(operand, at, "if") > 0);
            case "ifle" -> stack.push(at, nest, live && eval(operand, at, "if") <= 0);
            case "iflt" -> stack.push(at, nest, live && eval(operand, at, "if") < 0);
            case "ifdef" -> stack.push(at, nest, isDefined(operand, at));
            case "ifndef", "ifnotdef" -> stack.push(at, nest, !isDefined(operand, at));
            case "ifb" -> stack.push(at, nest, operand.isBlank());
            case "ifnb" -> stack.push(at, nest, !operand.isBlank());
            case "ifc" -> stack.push(at, nest, sameText(operand, at));
            case "ifnc" -> stack.push(at, nest, !sameText(operand, at));
            case "ifeqs" -> stack.push(at, nest, sameString(operand, at));
            case "ifnes" -> stack.push(at, nest, !sameString(operand, at));
            case "ifcpufeature" -> stack.push(at, nest, live && hasCpuFeature(operand, at));
            case "ifstatickey" -> stack.push(at, nest, live && staticKeyEnabled(operand, at));
            case "elseif" -> {
                if (stack.elseIf(at)) {
                    stack.elseIfResult(eval(operand, at, "elseif") != 0);
                }
            }
            case "else" -> stack.otherwise(at);
            case "endif", "endc" -> stack.end(at);
            default -> throw new IllegalArgumentException(name);
        }
    }

    private long eval(String expression, Origin at, String directive) {
        if (expression.isBlank()) {
            throw new AsmError(at, ConditionEvaluator.nonConstantIn(directive));
        }
        return evaluator.evaluate(expression.strip(), at, symbols::value, ConditionEvaluator.nonConstantIn(directive));
    }

    private boolean isDefined(String operand, Origin at) {
        int start = GasText.skipBlanks(operand, 0);
        int end = GasText.tokenEnd(operand, start);
        if (end == start) {
            throw new AsmError(at, "invalid identifier for \".ifdef\"");
        }
        rejectJunk(operand, end, at);
        return symbols.isDefined(operand.substring(start, end));
    }

    /** gas {@code .ifc}: the text before the first comma against the rest, outer blanks ignored. */
    private static boolean sameText(String operand, Origin at) {
        int comma = operand.indexOf(',');
        if (comma < 0) {
            throw new AsmError(at, "bad format for ifc or ifnc");
        }
        return operand.substring(0, comma).strip().equals(operand.substring(comma + 1).strip());
    }

    private static boolean sameString(String operand, Origin at) {
        GasStrings.Decoded first = Messages.demandString(operand, 0, at);
        int comma = GasText.skipBlanks(operand, first.end());
        if (comma >= operand.length() || operand.charAt(comma) != ',') {
            throw new AsmError(at, ".ifeqs syntax error");
        }
        GasStrings.Decoded second = Messages.demandString(operand, comma + 1, at);
        rejectJunk(operand, second.end(), at);
        return first.value().equals(second.value());
    }

    private boolean hasCpuFeature(String operand, Origin at) {
        if (operand.isBlank()) {
            throw new AsmError(at, "missing feature number after .ifcpufeature");
        }
        return config.cpuFeatures().contains(evaluator.evaluate(operand.strip(), at, symbols::value,
                ConditionEvaluator.nonConstantIn("ifcpufeature")));
    }

    /** {@code .ifstatickey KEY, DEFAULT}: the configured state of KEY, else DEFAULT != 0. */
    private boolean staticKeyEnabled(String operand, Origin at) {
        int start = GasText.skipBlanks(operand, 0);
        int end = GasText.tokenEnd(operand, start);
        if (end == start) {
            throw new AsmError(at, "expected static key name after .ifstatickey");
        }
        String key = operand.substring(start, end);
        int comma = GasText.skipBlanks(operand, end);
        if (comma >= operand.length() || operand.charAt(comma) != ',' || operand.substring(comma + 1).isBlank()) {
            throw new AsmError(at, "expected `, default' after static key `" + key + "'");
        }
        staticKeysConsulted.add(key);
        Boolean configured = config.staticKeys().get(key);
        if (configured != null) {
            return configured;
        }
        return evaluator.evaluate(operand.substring(comma + 1).strip(), at, symbols::value,
                ConditionEvaluator.nonConstantIn("ifstatickey")) != 0;
    }

    private static void rejectJunk(String operand, int end, Origin at) {
        int junk = GasText.skipBlanks(operand, end);
        if (junk < operand.length()) {
            throw new AsmError(at, GasText.junkMessage(operand.charAt(junk)));
        }
    }
}
