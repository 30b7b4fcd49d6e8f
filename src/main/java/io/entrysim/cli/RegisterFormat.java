package io.entrysim.cli;

import java.util.ArrayList;
import java.util.List;

/** gdb's {@code info registers} rendering: name, hex value, natural value or flag list. */
final class RegisterFormat {
    private RegisterFormat() {}

    private static final String[] EFLAGS = {"CF", "", "PF", "", "AF", "", "ZF", "SF", "TF", "IF", "DF", "OF",
        "", "", "NT", "", "RF", "VM", "AC", "VIF", "VIP", "ID"};

    /** One line as gdb pads it: name to column 15, hex value to column 35 (at least one blank), natural value. */
    static String line(String name, long value, String natural) {
        String hex = "0x" + Long.toHexString(value);
        return String.format("%-15s%-19s %s", name, hex, natural);
    }

    static String signed(long v) {
        return Long.toString(v);
    }

    static String pointer(long v) {
        return "0x" + Long.toHexString(v);
    }

    /** gdb lists the set flags in ascending bit order: {@code [ PF ZF IF ]}. */
    static String eflags(long v) {
        List<String> set = new ArrayList<>();
        for (int bit = 0; bit < EFLAGS.length; bit++) {
            if (!EFLAGS[bit].isEmpty() && (v & (1L << bit)) != 0) {
                set.add(EFLAGS[bit]);
            }
        }
        if ((v & (3L << 12)) != 0) {
            set.add("IOPL=" + ((v >> 12) & 3));
        }
        return "[ " + String.join(" ", set) + (set.isEmpty() ? "]" : " ]");
    }

    /** As gdb shows CR3 on targets that describe it: page-directory base and PCID. */
    static String cr3(long v) {
        return "[ PDBR=" + (v >>> 12) + " PCID=" + (v & 0xfff) + " ]";
    }

    private static final String[] CR0 = {"PE", "MP", "EM", "TS", "ET", "NE"};

    static String cr0(long v) {
        List<String> set = new ArrayList<>();
        if ((v & (1L << 31)) != 0) set.add("PG");
        if ((v & (1L << 30)) != 0) set.add("CD");
        if ((v & (1L << 29)) != 0) set.add("NW");
        if ((v & (1L << 18)) != 0) set.add("AM");
        if ((v & (1L << 16)) != 0) set.add("WP");
        for (int bit = CR0.length - 1; bit >= 0; bit--) {
            if ((v & (1L << bit)) != 0) set.add(CR0[bit]);
        }
        return "[ " + String.join(" ", set) + " ]";
    }

    private static final String[][] CR4 = {
        {"22", "PKE"}, {"21", "SMAP"}, {"20", "SMEP"}, {"18", "OSXSAVE"}, {"17", "PCIDE"}, {"16", "FSGSBASE"},
        {"14", "SMXE"}, {"13", "VMXE"}, {"11", "UMIP"}, {"10", "OSXMMEXCPT"}, {"9", "OSFXSR"}, {"8", "PCE"},
        {"7", "PGE"}, {"6", "MCE"}, {"5", "PAE"}, {"4", "PSE"}, {"3", "DE"}, {"2", "TSD"}, {"1", "PVI"}, {"0", "VME"}};

    static String cr4(long v) {
        List<String> set = new ArrayList<>();
        for (String[] f : CR4) {
            if ((v & (1L << Integer.parseInt(f[0]))) != 0) {
                set.add(f[1]);
            }
        }
        return "[ " + String.join(" ", set) + " ]";
    }
}
