package io.entrysim.cli;

import io.entrysim.cpu.Cpu;
import io.entrysim.session.UserExpressions;
import io.entrysim.diag.AsmError;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** One {@code --dump ADDR_EXPR[:LEN]}: the bytes at the end of the run. */
public record MemoryDump(String expr, long address, byte[] bytes) {

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    static List<MemoryDump> take(Cpu cpu, List<String> specs, UserExpressions exprs) {
        List<MemoryDump> out = new ArrayList<>();
        for (String spec : specs) {
            String expr = spec;
            int len = 8;
            int colon = spec.lastIndexOf(':');
            // "%gs:sym" has a colon too: only a ":<number>" after the address is a length
            boolean segmentColon = spec.substring(0, Math.max(colon, 0)).strip().matches("%[fg]s");
            if (colon >= 0 && !segmentColon && spec.substring(colon + 1).trim().matches("\\d+|0x[0-9a-fA-F]+")) {
                expr = spec.substring(0, colon);
                long asked = exprs.value(spec.substring(colon + 1), "--dump");
                len = asked <= 0 || asked > 1 << 20 ? -1 : (int) asked;
            }
            if (len <= 0) {
                throw new AsmError(null, "--dump LEN must be 1..1048576 in `" + spec + "'");
            }
            long addr = exprs.address(expr, "--dump", cpu.fsBase());
            out.add(new MemoryDump(expr, addr, cpu.memory().readBytes(addr, len)));
        }
        return out;
    }
}
