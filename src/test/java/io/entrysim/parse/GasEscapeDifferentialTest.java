package io.entrysim.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.entrysim.diag.Origin;
import io.entrysim.diag.SourcePos;
import io.entrysim.macro.ExpanderConfig;
import io.entrysim.macro.GasMacroExpander;
import io.entrysim.macro.Warning;
import io.entrysim.source.SourceLine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential test of escape decoding against the host GNU as: the same string bodies as
 * {@code .ascii} (bytes via objcopy) and as {@code .print} (what as writes to stdout), and
 * character constants as {@code .byte}. entrysim decodes the first two with one decoder, as gas
 * does (read.c next_char_of_string); character constants are the scrubber's (app.c process_escape).
 * Skipped visibly when as/objcopy are not installed.
 */
class GasEscapeDifferentialTest {
    /** The escapes whose decoding is pinned, plus random mixtures of them below. */
    private static final List<String> FIXED = List.of(
            "a\\bb", "a\\fb", "a\\nb", "a\\rb", "a\\tb", "a\\vb", "a\\\"b", "a\\\\b", "a\\qb", "a\\%b",
            "a\\101b", "a\\1012b", "a\\0101", "a\\8b", "a\\9b", "a\\18b", "a\\98b", "a\\777b", "a\\08b", "a\\1b",
            "a\\x41b", "a\\X41g", "a\\x4142b", "a\\xg", "a\\x", "\\x7F", "tail\\\\");
    private static final String PLAIN = "abfnrtvxXqg0123456789AF ";
    private static final Set<Character> CHAR_ESCAPES = Set.of('b', 'f', 'n', 'r', 't', 'v', 'q', '\\', '"', '\'',
            'x', '8', '0', 'a');

    @Test
    void asciiAndPrintDecodeAsGnuAs(@TempDir Path dir) throws Exception {
        HostGas.assumeTools("as", "objcopy");
        Set<String> bodies = new LinkedHashSet<>(FIXED);
        Random rnd = new Random(0xe5c_2024L);
        while (bodies.size() < FIXED.size() + 300) {
            bodies.add(randomBody(rnd));
        }
        StringBuilder src = new StringBuilder(".data\n");
        List<String> printed = new ArrayList<>();
        for (String b : bodies) {
            src.append(".ascii \"").append(b).append("\"\n");
            // .print (demand_copy_C_string) rejects a NUL; those bodies are .ascii-only.
            if (Lines.directive(".ascii \"" + b + "\"").args().get(0) instanceof Arg.StringArg s
                    && s.value().indexOf('\0') < 0) {
                src.append(".print \"").append(b).append("\"\n");
                printed.add(b);
            }
        }
        Files.writeString(dir.resolve("e.s"), src, StandardCharsets.ISO_8859_1);
        HostGas.Output as = HostGas.run(dir, "as", "--64", "-o", "e.o", "e.s");
        HostGas.run(dir, "objcopy", "-O", "binary", "-j", ".data", "e.o", "e.bin");
        String gasBytes = new String(Files.readAllBytes(dir.resolve("e.bin")), StandardCharsets.ISO_8859_1);

        int at = 0;
        for (String b : bodies) {
            String ours = ((Arg.StringArg) Lines.directive(".ascii \"" + b + "\"").args().get(0)).value();
            String theirs = gasBytes.substring(at, Math.min(gasBytes.length(), at + ours.length()));
            assertEquals(hex(theirs), hex(ours), () -> ".ascii \"" + b + "\"");
            at += ours.length();
        }
        assertEquals(gasBytes.length(), at);

        GasMacroExpander expander = new GasMacroExpander(new GasConditionEvaluator(), ExpanderConfig.defaults());
        List<SourceLine> lines = new ArrayList<>();
        for (String b : printed) {
            lines.add(new SourceLine(".print \"" + b + "\"", Origin.at(new SourcePos("e.s", lines.size() + 1, 1))));
        }
        expander.expand(lines);
        StringBuilder ours = new StringBuilder();
        expander.warnings().stream().filter(w -> w.kind() == Warning.Kind.PRINT)
                .forEach(w -> ours.append(w.message()).append('\n'));
        assertEquals(hex(as.stdout()), hex(ours.toString()), "the .print output of as and entrysim");
    }

    @Test
    void characterConstantsDecodeAsGnuAs(@TempDir Path dir) throws Exception {
        HostGas.assumeTools("as", "objcopy");
        List<String> constants = new ArrayList<>();
        for (char c : CHAR_ESCAPES) {
            constants.add("'\\" + c);
        }
        constants.add("'a");
        constants.add("'\\t'");
        StringBuilder src = new StringBuilder(".data\n");
        constants.forEach(k -> src.append(".byte ").append(k).append('\n'));
        Files.writeString(dir.resolve("c.s"), src, StandardCharsets.ISO_8859_1);
        HostGas.run(dir, "as", "--64", "-o", "c.o", "c.s");
        HostGas.run(dir, "objcopy", "-O", "binary", "-j", ".data", "c.o", "c.bin");
        byte[] gas = Files.readAllBytes(dir.resolve("c.bin"));
        assertEquals(constants.size(), gas.length);
        MapResolver none = new MapResolver(java.util.Map.of());
        for (int i = 0; i < gas.length; i++) {
            String k = constants.get(i);
            assertEquals(gas[i] & 0xff, ExprEvaluator.eval(Lines.expr(k), none) & 0xff, k);
        }
    }

    private static String randomBody(Random rnd) {
        StringBuilder b = new StringBuilder();
        int n = 1 + rnd.nextInt(8);
        for (int i = 0; i < n; i++) {
            if (rnd.nextInt(3) == 0) {
                b.append(PLAIN.charAt(rnd.nextInt(PLAIN.length())));
            } else {
                char e = (PLAIN + "\\\"").charAt(rnd.nextInt(PLAIN.length() + 2));
                b.append('\\').append(e);
            }
        }
        return b.toString();
    }

    private static String hex(String s) {
        StringBuilder h = new StringBuilder();
        for (char c : s.toCharArray()) {
            h.append(String.format("%02x ", (int) c));
        }
        return h.toString().trim();
    }
}
