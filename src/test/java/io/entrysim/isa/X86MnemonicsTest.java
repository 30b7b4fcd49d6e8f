package io.entrysim.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.parse.HostGas;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class X86MnemonicsTest {
    private static final Pattern NO_SUCH = Pattern.compile("\\.s:(\\d+): Error: no such instruction");

    @Test
    void instructionsWholeOrWithASizeSuffix() {
        for (String m : List.of("cpuid", "CPUID", "addl", "sysretq", "popfq", "movzbl", "cpuidl", "lock", "rex.w",
                "vpternlogq", "aaa", "cmovnae", "xlatb", "mov.s", "addl.d32")) {
            assertTrue(X86Mnemonics.isInstruction(m), m);
        }
        for (String m : List.of("annotate_noendbr", "frob", "iretd", "icebp", "switch_to_kernel_cr3", "x", "q", "addbb",
                "frob.s")) {
            assertFalse(X86Mnemonics.isInstruction(m), m);
        }
    }

    /** The table is exactly what the host's as 2.40 gives (rebuilt as its header says). */
    @Test
    void tableIsGas240s(@TempDir Path dir) throws Exception {
        Path as = gas240(dir);
        Set<String> kept = new TreeSet<>();
        Matcher runs = Pattern.compile("[\\x20-\\x7e\\t]{2,}")
                .matcher(new String(Files.readAllBytes(as), StandardCharsets.ISO_8859_1));
        while (runs.find()) {
            if (runs.group().matches("[a-z][a-z0-9.]{1,24}")) {
                kept.add(runs.group());
            }
        }
        Set<String> candidates = new TreeSet<>();
        for (String w : kept) {
            for (int i = 0; i < w.length() - 1; i++) {
                if (w.charAt(i) >= 'a' && w.charAt(i) <= 'z') {
                    candidates.add(w.substring(i));
                }
            }
        }
        Set<String> accepted = new TreeSet<>(candidates);
        accepted.removeAll(rejectedByGas(dir, new ArrayList<>(candidates)));
        // A table name also takes every size suffix; a word gas takes only by dropping one (addb) takes none.
        List<String> suffixed = new ArrayList<>();
        for (String w : accepted) {
            for (char suffix : "bwlqs".toCharArray()) {
                suffixed.add(w + suffix);
            }
        }
        for (String rejected : rejectedByGas(dir, suffixed)) {
            accepted.remove(rejected.substring(0, rejected.length() - 1));
        }
        if (!accepted.equals(X86Mnemonics.names())) {
            Path fresh = Path.of("target", X86Mnemonics.RESOURCE);
            Files.write(fresh, accepted);
            assertEquals(accepted, new TreeSet<>(X86Mnemonics.names()), "gas's table differs; as 2.40 gives " + fresh);
        }
    }

    /** Whole names, suffixed spellings and non-instructions: gas and isInstruction agree on every one. */
    @Test
    void classificationAgreesWithGas(@TempDir Path dir) throws Exception {
        gas240(dir);
        List<String> words = new ArrayList<>();
        for (String n : new TreeSet<>(X86Mnemonics.names())) {
            words.add(n);
            for (String s : List.of("b", "w", "l", "q", "s", "x", ".s", "l.s", ".d8", ".d32", ".x")) {
                words.add(n + s);
            }
        }
        words.addAll(List.of("annotate_noendbr", "frob", "iretd", "icebp"));
        Set<String> rejected = rejectedByGas(dir, words);
        for (String w : words) {
            assertEquals(!rejected.contains(w), X86Mnemonics.isInstruction(w), w);
        }
    }

    /** The words gas answers with "no such instruction", each written alone on a line. */
    private static Set<String> rejectedByGas(Path dir, List<String> words) throws Exception {
        StringBuilder src = new StringBuilder();
        words.forEach(w -> src.append('\t').append(w).append('\n'));
        Files.writeString(dir.resolve("w.s"), src);
        String err = HostGas.exec(dir, "as", "--64", "-o", "w.o", "w.s").stderr();
        Set<String> rejected = new HashSet<>();
        Matcher m = NO_SUCH.matcher(err);
        while (m.find()) {
            rejected.add(words.get(Integer.parseInt(m.group(1)) - 1));
        }
        return rejected;
    }

    /** The host's as, skipping the test unless it is GNU as 2.40 (whose table this is). */
    private static Path gas240(Path dir) throws Exception {
        HostGas.assumeTools("as");
        String version = HostGas.exec(dir, "as", "--version").stdout().lines().findFirst().orElse("");
        Assumptions.assumeTrue(version.matches(".*\\b2\\.40\\b.*"), "host as is not 2.40 (" + version + "): skipped");
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d, "as");
            if (Files.isExecutable(p)) {
                return p.toRealPath();
            }
        }
        throw new AssertionError("as vanished");
    }
}
