package io.entrysim.check;

import io.entrysim.diag.Origin;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One side of a comparison in an expectation: an expression over the final registers (by the
 * names {@link StateValues} gives, {@code %} optional), the program's symbols and cpp macros, as
 * {@code --set} takes it; or {@code memN ADDR_EXPR}, the N-bit value (N = 8, 16, 32, 64,
 * little-endian) at an address written as {@code --mem} takes it ({@code %gs:} = the per-CPU
 * area). Inside a larger expression the memory term is written with brackets:
 * {@code (mem16[%gs:X] & 0x2) == 0}.
 */
public record StateExpression(String text, int memBits, String expr, Origin where) {
    private static final Pattern MEM = Pattern.compile("mem(8|16|32|64)\\s+(.+)", Pattern.DOTALL);
    private static final Pattern PERCENT_REG = Pattern.compile("%([a-z][a-z0-9_]*)");
    private static final Pattern MEM_TERM = Pattern.compile("mem(8|16|32|64)\\[([^\\]]*)\\]");
    private static final Pattern NUMBER = Pattern.compile("-?(0x[0-9a-fA-F]+|\\d+)");

    public static StateExpression parse(String text, Origin where) {
        String t = text.strip();
        Matcher m = MEM.matcher(t);
        if (m.matches()) {
            return new StateExpression(t, Integer.parseInt(m.group(1)), m.group(2).strip(), where);
        }
        // %rax reads as rax; %gs: stays (it only has a meaning in a memN address)
        Matcher r = PERCENT_REG.matcher(t);
        StringBuilder sb = new StringBuilder();
        while (r.find()) {
            r.appendReplacement(sb, Matcher.quoteReplacement(StateValues.NAMES.contains(r.group(1)) ? r.group(1) : r.group()));
        }
        r.appendTail(sb);
        return new StateExpression(t, 0, sb.toString(), where);
    }

    /** A literal number: the diagnostic need not repeat its value. */
    public boolean isConstant() {
        return memBits == 0 && NUMBER.matcher(expr).matches();
    }

    public long value(Observation o) {
        var exprs = o.machine().expressions();
        if (memBits == 0) {
            Map<String, Long> regs = StateValues.read(o.cpu());
            Matcher m = MEM_TERM.matcher(expr);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                long v = read(o, Integer.parseInt(m.group(1)), m.group(2));
                m.appendReplacement(sb, "0x" + Long.toHexString(v));
            }
            m.appendTail(sb);
            return exprs.value(sb.toString(), "ENTRYSIM-EXPECT", regs, where);
        }
        return read(o, memBits, expr);
    }

    private long read(Observation o, int bits, String address) {
        long at = o.machine().expressions().address(address.strip(), "ENTRYSIM-EXPECT", o.cpu().fsBase(), where);
        return o.cpu().memory().peek(at, bits / 8);
    }
}
