package io.entrysim.check;

import io.entrysim.diag.AsmError;
import io.entrysim.exec.StopReason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code ENTRYSIM-EXPECT:} lines. The forms, tried in this order:
 * <pre>
 *   stop == hlt|ret|end|return-to-user|fault|...      (also !=)
 *   no fault
 *   fault #PF [at FILE:LINE]
 *   no violation
 *   violation lost-flush|pcid-bits-without-pcid
 *   cr3-writes == [flush 0x1c0b801, noflush 0x1c0a001]   ([] for none)
 *   unchanged rbx,rbp,r12-r15
 *   stack balanced
 *   LHS OP RHS      OP one of == != &lt; &lt;= &gt; &gt;= (unsigned); each side a {@link StateExpression}:
 *                   registers by name, symbols, cpp macros, memN ADDR or memN[ADDR] (N bits)
 * </pre>
 * Anything else is an error at the line: a spec that cannot be read must not pass.
 */
public final class Expectations {
    private static final Pattern STOP = Pattern.compile("stop\\s*(==|!=)\\s*([a-z-]+)");
    private static final Pattern FAULT = Pattern.compile("fault\\s+(#?[A-Za-z]+)(?:\\s+at\\s+(\\S+):(\\d+))?");
    private static final Pattern VIOLATION = Pattern.compile("violation\\s+([a-z0-9-]+)");
    private static final Pattern CR3_WRITES = Pattern.compile("cr3-writes\\s*==\\s*\\[(.*)\\]");
    private static final Pattern CR3_WRITE = Pattern.compile("(flush|noflush)\\s+(.+)");
    private static final Pattern UNCHANGED = Pattern.compile("unchanged\\s+(.+)");
    private static final Pattern RANGE = Pattern.compile("r(\\d+)-r(\\d+)");
    private static final List<String> OPERATORS = List.of("==", "!=", "<=", ">=", "<", ">");

    private Expectations() {}

    /**
     * The expectations that apply to runs of {@code tag} (null: untagged runs): the untagged ones
     * and those that list that tag.
     */
    public static List<Expectation> forTag(SpecFile spec, String tag) {
        List<Expectation> out = new ArrayList<>();
        for (SpecDirective d : spec.expects()) {
            if (d.tag() == null || tag != null && List.of(d.tag().split("\\s*,\\s*")).contains(tag)) {
                out.add(parse(d));
            }
        }
        return out;
    }

    public static Expectation parse(SpecDirective d) {
        String t = d.text().strip().replaceAll("\\s+", " ");
        Matcher m;
        if ((m = STOP.matcher(t)).matches()) {
            return new Expectation.Stop(d, m.group(1).equals("=="), stopReason(m.group(2), d));
        }
        if (t.equals("no fault")) {
            return new Expectation.NoFault(d);
        }
        if ((m = FAULT.matcher(t)).matches()) {
            String v = m.group(1).startsWith("#") ? m.group(1).toUpperCase(Locale.ROOT) : "#" + m.group(1).toUpperCase(Locale.ROOT);
            return new Expectation.Fault(d, v, m.group(2), m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
        }
        if (t.equals("no violation") || t.equals("no violations")) {
            return new Expectation.NoViolation(d);
        }
        if ((m = VIOLATION.matcher(t)).matches()) {
            return new Expectation.ViolationOf(d, m.group(1));
        }
        if ((m = CR3_WRITES.matcher(t)).matches()) {
            List<String> writes = new ArrayList<>();
            for (String item : m.group(1).split(",")) {
                if (item.isBlank()) {
                    continue;
                }
                Matcher w = CR3_WRITE.matcher(item.strip());
                if (!w.matches()) {
                    throw new AsmError(d.origin(), "a CR3 write is `flush VALUE' or `noflush VALUE', not `" + item.strip() + "'");
                }
                writes.add(w.group(1) + " " + w.group(2).strip());
            }
            return new Expectation.Cr3Writes(d, writes);
        }
        if ((m = UNCHANGED.matcher(t)).matches()) {
            return new Expectation.Unchanged(d, registers(m.group(1), d));
        }
        if (t.equals("stack balanced")) {
            return new Expectation.StackBalanced(d);
        }
        int[] op = comparison(t);
        if (op != null) {
            String operator = t.substring(op[0], op[1]);
            return new Expectation.Compare(d, StateExpression.parse(t.substring(0, op[0]), d.origin()), operator,
                    StateExpression.parse(t.substring(op[1]), d.origin()));
        }
        throw new AsmError(d.origin(), "cannot read the expectation `" + d.text() + "' (expected: stop == LABEL, no fault, "
                + "fault #VEC [at FILE:LINE], no violation, violation KIND, cr3-writes == [...], unchanged REGS, "
                + "stack balanced, or LHS OP RHS)");
    }

    private static StopReason stopReason(String label, SpecDirective d) {
        for (StopReason r : StopReason.values()) {
            if (r.label().equals(label) && r != StopReason.UNTIL) {
                return r;
            }
        }
        throw new AsmError(d.origin(), "no stop `" + label + "' (known: " + String.join(", ", Arrays.stream(StopReason.values())
                .filter(r -> r != StopReason.UNTIL).map(StopReason::label).toList()) + ")");
    }

    /** {@code rbx,rbp,r12-r15}: names as {@link StateValues} gives them; {@code rN-rM} a range of r8-r15. */
    static List<String> registers(String list, SpecDirective d) {
        List<String> out = new ArrayList<>();
        for (String raw : list.split(",")) {
            String r = raw.strip().toLowerCase(Locale.ROOT).replaceFirst("^%", "");
            Matcher m = RANGE.matcher(r);
            if (m.matches()) {
                int from = Integer.parseInt(m.group(1));
                int to = Integer.parseInt(m.group(2));
                if (from < 8 || to > 15 || from > to) {
                    throw new AsmError(d.origin(), "register range `" + r + "' is not within r8-r15");
                }
                for (int i = from; i <= to; i++) {
                    out.add("r" + i);
                }
            } else if (StateValues.NAMES.contains(r)) {
                out.add(r);
            } else {
                throw new AsmError(d.origin(), "unknown register `" + raw.strip() + "' (known: "
                        + String.join(", ", StateValues.NAMES) + ")");
            }
        }
        return out;
    }

    /**
     * The comparison operator at the top level (outside parentheses) as {start, end}, or null.
     * {@code <<} and {@code >>} are shifts, not comparisons.
     */
    static int[] comparison(String t) {
        int depth = 0;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (depth == 0) {
                if ((c == '<' || c == '>') && i + 1 < t.length() && t.charAt(i + 1) == c) {
                    i++;   // a shift
                    continue;
                }
                for (String op : OPERATORS) {
                    if (t.startsWith(op, i)) {
                        return new int[] {i, i + op.length()};
                    }
                }
            }
        }
        return null;
    }
}
