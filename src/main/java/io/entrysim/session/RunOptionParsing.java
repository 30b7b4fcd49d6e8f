package io.entrysim.session;

import io.entrysim.diag.AsmError;
import io.entrysim.kernel.MachineLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The option values every front door takes as strings ({@code -D}, {@code --static-key},
 * {@code --idt}), parsed once here so the CLI and a debug adapter read them the same way.
 */
public final class RunOptionParsing {
    private static final Pattern IDT = Pattern.compile("(0x[0-9a-fA-F]+|\\d+)=([A-Za-z_.$][A-Za-z0-9_.$]*)(?::([0-7]))?");

    private RunOptionParsing() {}

    /** {@code -D NAME[=VAL]}: VAL defaults to 1. */
    public static Map<String, String> defines(List<String> defines) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String d : defines) {
            int eq = d.indexOf('=');
            out.put(eq < 0 ? d : d.substring(0, eq), eq < 0 ? "1" : d.substring(eq + 1));
        }
        return out;
    }

    /** {@code --static-key KEY=0|1}. */
    public static Map<String, Boolean> staticKeys(List<String> keys) {
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (String s : keys) {
            int eq = s.indexOf('=');
            String v = eq < 0 ? "" : s.substring(eq + 1).trim();
            if (eq <= 0 || !(v.equals("0") || v.equals("1"))) {
                throw new AsmError(null, "--static-key wants KEY=0 or KEY=1, not `" + s + "'");
            }
            out.put(s.substring(0, eq).trim(), v.equals("1"));
        }
        return out;
    }

    /** {@code --idt VECTOR=HANDLER[:IST]}: a vector at most once, in 0..255. */
    /** {@code --irq-at STEP=VECTOR} (VECTOR decimal or 0x hex). */
    public static List<RunSpec.IrqAt> irqAt(List<String> specs) {
        List<RunSpec.IrqAt> out = new java.util.ArrayList<>();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            try {
                if (eq < 0) {
                    throw new NumberFormatException();
                }
                out.add(new RunSpec.IrqAt(Long.decode(spec.substring(0, eq).strip()),
                        Integer.decode(spec.substring(eq + 1).strip())));
            } catch (NumberFormatException e) {
                throw new AsmError(null, "--irq-at wants STEP=VECTOR (e.g. 5=0x20), not `" + spec + "'");
            }
        }
        return out;
    }

    public static List<MachineLayout.IdtEntry> idt(List<String> specs) {
        List<MachineLayout.IdtEntry> out = new ArrayList<>();
        for (String spec : specs) {
            Matcher m = IDT.matcher(spec.trim());
            if (!m.matches()) {
                throw new AsmError(null, "--idt wants VECTOR=HANDLER[:IST], not `" + spec + "'");
            }
            String digits = m.group(1);
            java.math.BigInteger big = digits.startsWith("0x") || digits.startsWith("0X")
                    ? new java.math.BigInteger(digits.substring(2), 16) : new java.math.BigInteger(digits);
            long vector = big.bitLength() > 16 ? 999 : big.longValue();
            if (vector > 255) {
                throw new AsmError(null, "--idt: vector " + digits + " is outside 0..255");
            }
            if (out.stream().anyMatch(e -> e.vector() == vector)) {
                throw new AsmError(null, "--idt: vector " + vector + " given twice");
            }
            out.add(new MachineLayout.IdtEntry((int) vector, m.group(2), m.group(3) == null ? 0 : Integer.parseInt(m.group(3))));
        }
        return out;
    }
}
