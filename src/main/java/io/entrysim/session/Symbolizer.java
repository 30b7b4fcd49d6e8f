package io.entrysim.session;

import io.entrysim.assemble.Program;
import java.util.Map;
import java.util.TreeMap;

/** Addresses as gdb shows them: {@code <label+offset>} from the nearest label at or below. */
public final class Symbolizer {
    private final TreeMap<Long, String> byAddress = new TreeMap<>();

    public Symbolizer(Program program) {
        long lo = program.code().length == 0 ? 0 : program.code()[0].address;
        for (Map.Entry<String, Long> e : program.symbols().entrySet()) {
            // .L locals never reach gas's symbol table, so gdb would not show them either.
            String name = e.getKey();
            Long addr = e.getValue();
            if (addr < lo || name.startsWith(".L")) {
                continue;
            }
            byAddress.putIfAbsent(addr, name);
        }
    }

    /** {@code <name+off>}, or empty when no label is near. */
    public String describe(long address) {
        Map.Entry<Long, String> e = byAddress.floorEntry(address);
        if (e == null || address - e.getKey() > 0x100000) {
            return "";
        }
        long off = address - e.getKey();
        return "<" + e.getValue() + (off == 0 ? "" : "+" + off) + ">";
    }
}
