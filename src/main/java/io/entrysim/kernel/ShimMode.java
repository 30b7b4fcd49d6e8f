package io.entrysim.kernel;

import java.util.Locale;

/**
 * Where entrysim's shim headers sit in the include search ({@code --shims}).
 */
public enum ShimMode {
    /**
     * Before every {@code -I} directory (the default): ALTERNATIVE and static branches are
     * decided at assembly time, and a user's {@code calling.h} runs against the shims.
     */
    FIRST,
    /**
     * After every {@code -I} directory: a tree's real headers win ({@code alternative.h},
     * {@code jump_label.h}: the kernel's own tables, patched as at boot); the shims supply only
     * what the tree lacks (generated headers such as {@code asm-offsets.h}).
     */
    FALLBACK,
    /** Not at all ({@code --no-shims}): every header comes from {@code -I}. */
    NONE;

    /** {@code first}, {@code fallback} or {@code none}, any case. */
    public static ShimMode parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new io.entrysim.diag.AsmError(null, "--shims takes first, fallback or none, not `" + text + "'");
        }
    }
}
