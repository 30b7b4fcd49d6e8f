package io.entrysim.equiv;

import io.entrysim.diag.AsmError;
import io.entrysim.diag.Origin;
import io.entrysim.diag.SourcePos;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code --over} clauses:
 * <pre>
 *   REG in {V1,V2,...}          REG in LO..HI
 *   mem ADDR:SIZE in *          mem ADDR:SIZE in {V,...} | LO..HI
 *   feature in {PTI,PTI+PCID}   static-key KEY in {0,1}
 * </pre>
 * A range or {@code *} of at most 2^16 values is taken whole; a larger one is its boundary values
 * (0, 1, 2, the top, the top - 1, the sign bit and the one below it) plus {@code random} values
 * drawn with {@code rng}. Values are kept as the options spell them; numbers are written in hex.
 */
public final class OverClauses {
    private static final Pattern SET = Pattern.compile("\\{(.*)\\}");
    private static final Pattern RANGE = Pattern.compile("(\\S+)\\s*\\.\\.\\s*(\\S+)");
    private static final Pattern CLAUSE = Pattern.compile(
            "(?:(mem)\\s+(.+):([1248])|(feature)|(static-key)\\s+([A-Za-z_][A-Za-z0-9_]*)|(%?[a-z][a-z0-9_]*))\\s+in\\s+(.+)");
    /** Values taken whole up to this many. */
    static final long WHOLE = 1 << 16;

    private OverClauses() {}

    public static Dimension parse(String clause, int random, Random rng) {
        Origin where = Origin.at(new SourcePos("<--over " + clause + ">", 1, 1));
        Matcher m = CLAUSE.matcher(clause.strip());
        if (!m.matches()) {
            throw new AsmError(where, "--over wants `REG in ...', `mem ADDR:SIZE in ...', `feature in {...}' or "
                    + "`static-key KEY in {...}', not `" + clause + "'");
        }
        String domain = m.group(8).strip();
        if (m.group(1) != null) {
            int size = Integer.parseInt(m.group(3));
            return new Dimension(Dimension.Kind.MEMORY, m.group(2).strip(), size, numbers(domain, 8 * size, random, rng, where),
                    clause);
        }
        if (m.group(4) != null) {
            List<String> features = new ArrayList<>();
            for (String f : list(domain, where)) {
                features.add(f.replace('+', ','));
            }
            return new Dimension(Dimension.Kind.FEATURE, "", 0, features, clause);
        }
        if (m.group(5) != null) {
            List<String> v = list(domain, where);
            for (String x : v) {
                if (!x.equals("0") && !x.equals("1")) {
                    throw new AsmError(where, "a static key is 0 or 1, not `" + x + "'");
                }
            }
            return new Dimension(Dimension.Kind.STATIC_KEY, m.group(6), 0, v, clause);
        }
        return new Dimension(Dimension.Kind.REGISTER, m.group(7).replaceFirst("^%", ""), 8,
                numbers(domain, 64, random, rng, where), clause);
    }

    private static List<String> list(String domain, Origin where) {
        Matcher s = SET.matcher(domain);
        if (!s.matches()) {
            throw new AsmError(where, "expected a set {A,B,...}, not `" + domain + "'");
        }
        List<String> out = new ArrayList<>();
        for (String v : s.group(1).split(",", -1)) {
            out.add(v.strip());
        }
        return out;
    }

    /** The values of a numeric domain, as option text. */
    private static List<String> numbers(String domain, int bits, int random, Random rng, Origin where) {
        if (SET.matcher(domain).matches()) {
            return list(domain, where).stream().filter(v -> !v.isEmpty()).toList();
        }
        long lo;
        long hi;
        Matcher r = RANGE.matcher(domain);
        if (domain.equals("*")) {
            lo = 0;
            hi = bits == 64 ? -1L : (1L << bits) - 1;
        } else if (r.matches()) {
            lo = number(r.group(1), where);
            hi = number(r.group(2), where);
            if (Long.compareUnsigned(lo, hi) > 0) {
                throw new AsmError(where, "empty range " + domain);
            }
        } else {
            throw new AsmError(where, "expected {A,B,...}, LO..HI or *, not `" + domain + "'");
        }
        Set<Long> values = new LinkedHashSet<>();
        if (Long.compareUnsigned(hi - lo, WHOLE - 1) <= 0) {
            for (long v = lo; ; v++) {
                values.add(v);
                if (v == hi) {
                    break;
                }
            }
        } else {
            long sign = bits == 64 ? Long.MIN_VALUE : 1L << (bits - 1);
            for (long v : new long[] {lo, lo + 1, lo + 2, hi, hi - 1, sign, sign - 1}) {
                if (Long.compareUnsigned(v, lo) >= 0 && Long.compareUnsigned(v, hi) <= 0) {
                    values.add(v);
                }
            }
            long span = hi - lo + 1;   // 0 means all 2^64
            for (int i = 0; i < random; i++) {
                long x = rng.nextLong();
                values.add(span == 0 ? x : lo + Long.remainderUnsigned(x, span));
            }
        }
        return values.stream().map(v -> "0x" + Long.toHexString(v)).toList();
    }

    private static long number(String s, Origin where) {
        try {
            return s.startsWith("0x") || s.startsWith("0X") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new AsmError(where, "not a number: `" + s + "'");
        }
    }
}
