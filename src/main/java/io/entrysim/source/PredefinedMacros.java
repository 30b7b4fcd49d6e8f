package io.entrysim.source;
import io.entrysim.diag.SourcePos;
import io.entrysim.diag.Origin;
import io.entrysim.diag.AsmWarning;
import io.entrysim.diag.AsmError;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The macros defined before the first line: gcc's built-ins, what an x86-64 Linux kernel
 * assembly build predefines, then the caller's {@code -D}s and {@code -U}s in gcc's order.
 */
final class PredefinedMacros {
    private PredefinedMacros() {}

    static final Map<String, String> KERNEL_ASM = orderedMap(
            "__ASSEMBLY__", "1",
            "__ASSEMBLER__", "1",
            "__x86_64__", "1",
            "__x86_64", "1",
            "__LP64__", "1",
            "__linux__", "1",
            "__KERNEL__", "1");

    static void install(Map<String, Macro> macros, PreprocessorConfig config, List<AsmWarning> warnings) {
        builtin(macros, "__FILE__", Macro.Builtin.FILE);
        builtin(macros, "__LINE__", Macro.Builtin.LINE);
        builtin(macros, "__COUNTER__", Macro.Builtin.COUNTER);
        builtin(macros, "__INCLUDE_LEVEL__", Macro.Builtin.INCLUDE_LEVEL);
        builtin(macros, "__BASE_FILE__", Macro.Builtin.BASE_FILE);
        builtin(macros, "__DATE__", Macro.Builtin.DATE);
        builtin(macros, "__TIME__", Macro.Builtin.TIME);
        PpDiagnostics builtIn = commandLine("<built-in>", warnings);
        KERNEL_ASM.forEach((name, value) -> define(macros, name, value, builtIn));
        PpDiagnostics commandLine = commandLine("<command-line>", warnings);
        config.defines().forEach((name, value) -> define(macros, name, value, commandLine));
        for (String name : config.undefines()) {
            macros.remove(name);
        }
    }

    private static void builtin(Map<String, Macro> macros, String name, Macro.Builtin kind) {
        macros.put(name, Macro.builtin(name, kind));
    }

    /** {@code -Dname=value}; name may carry a parameter list, {@code F(x)}. */
    private static void define(Map<String, Macro> macros, String name, String value, PpDiagnostics diag) {
        List<PpToken> tokens = PpLexer.lexFragment(name + " " + value);
        Macro macro = new MacroDefinitionParser(diag).parse(tokens, PpToken.eof(1, name.length() + 1));
        macros.put(macro.name(), macro);
    }

    private static PpDiagnostics commandLine(String file, List<AsmWarning> warnings) {
        return new PpDiagnostics() {
            @Override
            public AsmError error(int line, int col, String message) {
                return new AsmError(Origin.at(new SourcePos(file, 1, col)), message);
            }

            @Override
            public void warning(int line, int col, String message) {
                warnings.add(new AsmWarning(Origin.at(new SourcePos(file, 1, col)), message));
            }
        };
    }

    private static Map<String, String> orderedMap(String... kv) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            map.put(kv[i], kv[i + 1]);
        }
        return map;
    }
}
