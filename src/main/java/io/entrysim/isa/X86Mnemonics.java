package io.entrysim.isa;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Whether a word is an x86 instruction at all, as GNU as 2.40 decides it (gas {@code parse_insn}):
 * a name of gas's instruction table ({@code gas-x86-mnemonics.txt}); else, after dropping a
 * {@code .s}/{@code .d8}/{@code .d32} encoding suffix, that name or the name with one AT&amp;T size
 * suffix {@code b w l q s} removed. (A suffix the instruction does not take is then gas's "invalid
 * instruction suffix", not "no such instruction".)
 */
public final class X86Mnemonics {
    private X86Mnemonics() {}

    static final String RESOURCE = "gas-x86-mnemonics.txt";
    /** gas's {@code MAX_MNEM_SIZE}: a mnemonic has at most 19 characters. */
    private static final int MAX_MNEM_SIZE = 20;
    private static final Set<String> NAMES = load();

    private static Set<String> load() {
        Set<String> names = new HashSet<>();
        try (InputStream in = X86Mnemonics.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isEmpty() && !line.startsWith("#")) {
                    names.add(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Collections.unmodifiableSet(names);
    }

    /** The names gas takes whole (lower case). */
    public static Set<String> names() {
        return NAMES;
    }

    /** Whether gas takes {@code mnemonic} (any case) as an instruction or prefix rather than "no such instruction". */
    public static boolean isInstruction(String mnemonic) {
        String m = mnemonic.toLowerCase(Locale.ROOT);
        if (m.length() >= MAX_MNEM_SIZE) {
            return false; // gas stops reading the mnemonic there: "no such instruction"
        }
        if (NAMES.contains(m)) {
            return true;
        }
        for (String encoding : new String[] {".s", ".d8", ".d32"}) {
            if (m.endsWith(encoding)) {
                m = m.substring(0, m.length() - encoding.length());
                if (NAMES.contains(m)) {
                    return true;
                }
                break;
            }
        }
        int last = m.length() - 1;
        return last > 0 && "bwlqs".indexOf(m.charAt(last)) >= 0 && NAMES.contains(m.substring(0, last));
    }
}
