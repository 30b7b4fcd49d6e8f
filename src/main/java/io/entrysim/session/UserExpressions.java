package io.entrysim.session;

import io.entrysim.kernel.PerCpuLayout;
import io.entrysim.parse.Expr;
import io.entrysim.parse.ExprEvaluator;
import io.entrysim.parse.ExpressionParser;
import io.entrysim.parse.SymbolResolver;
import io.entrysim.parse.UnresolvedSymbolException;
import io.entrysim.diag.AsmError;
import io.entrysim.diag.Origin;
import io.entrysim.diag.SourcePos;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expressions typed on the command line ({@code --set}, {@code --mem}, {@code --dump}): the
 * program's symbols and its cpp object-like macros are both in scope, so
 * {@code %gs:cpu_tlbstate+TLB_STATE_user_pcid_flush_mask} means what it means in the source.
 */
public final class UserExpressions {
    private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern SEGMENT = Pattern.compile("^\\s*%([fg]s)\\s*:(.*)$", Pattern.DOTALL);

    private final Build build;

    public UserExpressions(Build build) {
        this.build = build;
    }

    /**
     * An address. {@code %gs:} is relative to the machine's per-CPU area (the kernel's GS base),
     * whatever GS.base holds at the time: a run that starts in user mode with a user
     * {@code gs_base} still means the per-CPU variable. {@code %fs:} adds {@code fsBase}.
     */
    public long address(String text, String option, long fsBase) {
        return address(text, option, fsBase, Origin.at(new SourcePos("<" + option + ">", 1, 1)));
    }

    /** As {@link #address(String, String, long)}, with errors reported at {@code where}. */
    public long address(String text, String option, long fsBase, Origin where) {
        Matcher m = SEGMENT.matcher(text);
        if (m.matches()) {
            long base = m.group(1).equals("gs") ? build.options().machine().percpuBase() : fsBase;
            return base + value(m.group(2), option, java.util.Map.of(), where);
        }
        return value(text, option, java.util.Map.of(), where);
    }

    /** A plain value over the program's symbols and cpp macros. */
    public long value(String text, String option) {
        return value(text, option, java.util.Map.of());
    }

    /**
     * A value with {@code names} in scope before the program's symbols (a spec's expectations
     * name the final registers this way: {@code (cr3 & 0x800) != 0}).
     */
    public long value(String text, String option, java.util.Map<String, Long> names) {
        return value(text, option, names, Origin.at(new SourcePos("<" + option + ">", 1, 1)));
    }

    /** As {@link #value(String, String, java.util.Map)}, with errors reported at {@code where}. */
    public long value(String text, String option, java.util.Map<String, Long> names, Origin where) {
        Expr e = ExpressionParser.parse(expandMacros(text, java.util.Set.of(), option, where), where);
        SymbolResolver r = new SymbolResolver() {
            @Override
            public Long symbol(String name) {
                Long v = names.get(name);
                if (v == null) {
                    v = build.program().symbols().get(name);
                }
                if (v == null) {
                    v = build.options().machine().symbols().get(name);
                }
                // per-CPU variables have their offsets even when the program never names them
                return v != null ? v : PerCpuLayout.known().get(name);
            }

            @Override
            public Long localLabel(int label, boolean forward) {
                return null;
            }

            @Override
            public long dot() {
                throw new AsmError(where, "`.' has no meaning in " + option);
            }
        };
        try {
            return ExprEvaluator.eval(e, r);
        } catch (UnresolvedSymbolException u) {
            throw new AsmError(where, "unknown symbol `" + u.name() + "' in " + option + " " + text);
        } catch (io.entrysim.parse.BadExpressionException b) {
            throw new AsmError(where, b.getMessage() + " in " + option + " " + text);
        }
    }

    /** Expansions longer than this are refused: a macro chain that doubles at each level would not end. */
    static final int MAX_EXPANSION = 1 << 20;
    /** Macros expanding into macros, at most this deep (each level is a recursive call). */
    static final int MAX_NESTING = 256;

    /** Object-like cpp macros replaced as cpp does: a macro is not expanded again inside its own expansion. */
    private String expandMacros(String text, java.util.Set<String> disabled, String option, Origin where) {
        Matcher m = IDENT.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group();
            String body = disabled.contains(name) ? null : build.cpp().macroBody(name).orElse(null);
            String replacement = name;
            if (body != null && !body.equals(name)) {
                if (disabled.size() >= MAX_NESTING) {
                    throw new AsmError(where, "cpp macros nest more than " + MAX_NESTING + " deep in the expression (at `"
                            + name + "')");
                }
                java.util.Set<String> inner = new java.util.HashSet<>(disabled);
                inner.add(name);
                replacement = "(" + expandMacros(body, inner, option, where) + ")";
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
            if (sb.length() > MAX_EXPANSION) {
                throw new AsmError(where, "the expression grows past " + MAX_EXPANSION
                        + " characters when its cpp macros are expanded");
            }
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
