package io.entrysim.kernel;

import com.google.common.base.Splitter;
import io.entrysim.diag.AsmError;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CPU feature names ({@code --feature PTI,PCID}) and their bit numbers. The shim
 * {@code asm/cpufeatures.h} is the single table: read here, so the numbers {@code ALTERNATIVE}
 * tests in the program and the names users type cannot drift apart.
 */
public final class CpuFeatures {
    private static final Pattern DEFINE =
            Pattern.compile("(?m)^#define\\s+X86_FEATURE_(\\w+)\\s+\\(\\s*(\\d+)\\s*\\*\\s*32\\s*\\+\\s*(\\d+)\\s*\\)");

    private static final Map<String, Long> BY_NAME = load();

    private CpuFeatures() {}

    private static Map<String, Long> load() {
        String path = Shims.RESOURCE_ROOT + "/asm/cpufeatures.h";
        try (InputStream in = CpuFeatures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing shim resource " + path);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Map<String, Long> out = new TreeMap<>();
            Matcher m = DEFINE.matcher(text);
            while (m.find()) {
                out.put(m.group(1), Long.parseLong(m.group(2)) * 32 + Long.parseLong(m.group(3)));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** All known names (without the {@code X86_FEATURE_} prefix) and their bit numbers. */
    public static Map<String, Long> all() {
        return BY_NAME;
    }

    /**
     * Parses a {@code --feature} list ("PTI,PCID", case-insensitive, the cpufeatures.h name
     * without {@code X86_FEATURE_}); an unknown name is an error listing the known ones.
     */
    public static Set<String> parse(Iterable<String> specs) {
        Set<String> names = new LinkedHashSet<>();
        for (String spec : specs) {
            for (String raw : Splitter.on(',').trimResults().omitEmptyStrings().split(spec)) {
                String name = raw.toUpperCase(java.util.Locale.ROOT);
                if (name.startsWith("X86_FEATURE_")) {
                    name = name.substring("X86_FEATURE_".length());
                }
                if (!BY_NAME.containsKey(name)) {
                    throw new AsmError(null, "unknown CPU feature `" + raw + "' (known: "
                            + String.join(", ", BY_NAME.keySet()) + ")");
                }
                names.add(name);
            }
        }
        return names;
    }

    public static Set<Long> bits(Set<String> names) {
        Set<Long> out = new LinkedHashSet<>();
        for (String n : names) {
            out.add(BY_NAME.get(n));
        }
        return out;
    }
}
