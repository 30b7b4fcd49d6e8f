package io.entrysim.equiv;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code entrysim equiv} compares of one variant's run: how it stopped, the fault, the
 * violations, the CR3 writes (value stored and flush/no-flush, in order), the final GPRs, RFLAGS,
 * and the final bytes at every address either variant wrote ({@link #memory}, filled in for the
 * union), plus the trace to show side by side.
 *
 * @param trace one line per executed instruction: {@code file:line  text}
 */
public record Observed(String stop, String fault, List<String> violations, List<String> cr3Writes,
                       Map<String, Long> gprs, long rflags, TreeMap<Long, Integer> memory, List<String> trace) {

    /** The first observable that differs, as {@code {what, A's, B's}}; null when none does. */
    public String[] firstDifference(Observed b, java.util.Set<String> ignore, boolean flags) {
        if (!stop.equals(b.stop)) {
            return new String[] {"stop", stop, b.stop};
        }
        if (!java.util.Objects.equals(fault, b.fault)) {
            return new String[] {"fault", String.valueOf(fault), String.valueOf(b.fault)};
        }
        if (!violations.equals(b.violations)) {
            return new String[] {"violations", violations.toString(), b.violations.toString()};
        }
        for (int i = 0; i < Math.max(cr3Writes.size(), b.cr3Writes.size()); i++) {
            String x = i < cr3Writes.size() ? cr3Writes.get(i) : "(none)";
            String y = i < b.cr3Writes.size() ? b.cr3Writes.get(i) : "(none)";
            if (!x.equals(y)) {
                return new String[] {"CR3 write #" + (i + 1), x, y};
            }
        }
        for (var e : gprs.entrySet()) {
            if (!ignore.contains(e.getKey()) && !e.getValue().equals(b.gprs.get(e.getKey()))) {
                return new String[] {e.getKey(), hex(e.getValue()), hex(b.gprs.get(e.getKey()))};
            }
        }
        if (flags && rflags != b.rflags) {
            return new String[] {"rflags", hex(rflags), hex(b.rflags)};
        }
        for (var e : memory.entrySet()) {
            Integer other = b.memory.get(e.getKey());
            if (!e.getValue().equals(other)) {
                return new String[] {"byte at " + hex(e.getKey()), String.format("0x%02x", e.getValue()),
                        other == null ? "(not read)" : String.format("0x%02x", other)};
            }
        }
        return null;
    }

    /** Everything {@link #firstDifference} compares, as one string: equal keys, no difference. */
    public String key(java.util.Set<String> ignore, boolean flags) {
        StringBuilder sb = new StringBuilder(stop).append('|').append(fault).append('|').append(violations).append('|')
                .append(cr3Writes).append('|');
        gprs.forEach((r, v) -> {
            if (!ignore.contains(r)) {
                sb.append(r).append('=').append(Long.toHexString(v)).append(',');
            }
        });
        if (flags) {
            sb.append("|rflags=").append(Long.toHexString(rflags));
        }
        return sb.append('|').append(memory).toString();
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
