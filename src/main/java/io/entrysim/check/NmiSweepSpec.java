package io.entrysim.check;

import io.entrysim.diag.AsmError;
import io.entrysim.kernel.MachineLayout;
import io.entrysim.cpu.Vectors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ENTRYSIM-NMI: each [handler=LABEL] [ist=N]}: run every configuration again with an NMI
 * before each instruction boundary, through the gate {@code 2=LABEL:N} (default {@code nmi} on
 * IST 2, the kernel's NMI stack), unless the run gives its own {@code --idt 2=...}.
 */
public record NmiSweepSpec(SpecDirective line, String handler, int ist) {
    private static final Pattern FORM = Pattern.compile("each((?:\\s+(?:handler=[A-Za-z_.$][A-Za-z0-9_.$]*|ist=[0-7]))*)\\s*");

    public static NmiSweepSpec parse(SpecDirective d) {
        Matcher m = FORM.matcher(d.text());
        if (!m.matches()) {
            throw new AsmError(d.origin(), "ENTRYSIM-NMI wants `each [handler=LABEL] [ist=N]' (N 0-7), not `" + d.text() + "'");
        }
        String handler = "nmi";
        int ist = 2;
        for (String word : m.group(1).strip().split("\\s+")) {
            if (word.startsWith("handler=")) {
                handler = word.substring("handler=".length());
            } else if (word.startsWith("ist=")) {
                ist = Integer.parseInt(word.substring("ist=".length()));
            }
        }
        return new NmiSweepSpec(d, handler, ist);
    }

    /** The gate, unless the run configures vector 2 itself. */
    public MachineLayout.IdtEntry gate() {
        return new MachineLayout.IdtEntry(Vectors.NMI, handler, ist, line.origin());
    }
}
