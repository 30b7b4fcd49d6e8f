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
import java.util.function.Function;
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
    private static final Pattern BUG = Pattern.compile("(?m)^#define\\s+X86_BUG_(\\w+)\\s+X86_BUG\\(\\s*(\\d+)\\s*\\)");
    private static final Pattern NCAPINTS = Pattern.compile("(?m)^#define\\s+NCAPINTS\\s+(\\d+)");

    private static final Map<String, Long> BY_NAME = load();

    private CpuFeatures() {}

    private static Map<String, Long> load() {
        String path = Shims.RESOURCE_ROOT + "/asm/cpufeatures.h";
        try (InputStream in = CpuFeatures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing shim resource " + path);
            }
            return fromHeader(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The features a {@code cpufeatures.h} defines: {@code X86_FEATURE_NAME ( W*32+B)} as NAME,
     * and, where it defines NCAPINTS, {@code X86_BUG_NAME X86_BUG(n)} as X86_BUG_NAME
     * ({@code NCAPINTS*32 + n}), each with its bit number.
     */
    static Map<String, Long> fromHeader(String text) {
        Map<String, Long> out = new TreeMap<>();
        Matcher m = DEFINE.matcher(text);
        while (m.find()) {
            out.put(m.group(1), Long.parseLong(m.group(2)) * 32 + Long.parseLong(m.group(3)));
        }
        Matcher n = NCAPINTS.matcher(text);
        if (n.find()) {
            long bugBase = Long.parseLong(n.group(1)) * 32;
            Matcher b = BUG.matcher(text);
            while (b.find()) {
                out.put("X86_BUG_" + b.group(1), bugBase + Long.parseLong(b.group(2)));
            }
        }
        return out;
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
        return parse(specs, BY_NAME, raw -> "(known: " + String.join(", ", BY_NAME.keySet()) + ")");
    }

    /** As {@link #parse(Iterable)} against {@code table}; {@code unknown} says why a name is not in it. */
    static Set<String> parse(Iterable<String> specs, Map<String, Long> table, Function<String, String> unknown) {
        Set<String> names = new LinkedHashSet<>();
        for (String spec : specs) {
            for (String raw : Splitter.on(',').trimResults().omitEmptyStrings().split(spec)) {
                String name = raw.toUpperCase(java.util.Locale.ROOT);
                if (name.startsWith("X86_FEATURE_")) {
                    name = name.substring("X86_FEATURE_".length());
                }
                if (!table.containsKey(name)) {
                    throw new AsmError(null, "unknown CPU feature `" + raw + "' " + unknown.apply(raw));
                }
                names.add(name);
            }
        }
        return names;
    }

    public static Set<Long> bits(Set<String> names) {
        return bits(names, BY_NAME);
    }

    /** The bit numbers {@code table} gives {@code names} (names it lacks are left out). */
    static Set<Long> bits(Set<String> names, Map<String, Long> table) {
        Set<Long> out = new LinkedHashSet<>();
        for (String n : names) {
            Long bit = table.get(n);
            if (bit != null) {
                out.add(bit);
            }
        }
        return out;
    }
}
