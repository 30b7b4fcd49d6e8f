package io.entrysim.diff;

import io.entrysim.parse.HostGas;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A source assembled by the host's GNU as ({@code as --64}, default options): the bytes of its
 * {@code .text}, the address of every source line that emitted something (from the {@code -aln}
 * listing), and its {@code .text} symbols (from nm).
 */
final class GasListing {
    /** "  12 00a8 488D0500 \tsource": line number, address, first bytes. Continuation lines have no address. */
    private static final Pattern LINE = Pattern.compile("^\\s*(\\d+) ([0-9a-f]{4,}) ");
    private static final Pattern SYMBOL = Pattern.compile("^([0-9a-f]+) [tT] (\\S+)$");

    final byte[] text;
    /** 1-based source line to the address of its first byte. */
    private final TreeMap<Integer, Long> addresses = new TreeMap<>();
    final Map<String, Long> symbols = new HashMap<>();

    private GasListing(byte[] text) {
        this.text = text;
    }

    static GasListing assemble(Path dir, List<String> lines) throws Exception {
        Files.write(dir.resolve("enc.s"), lines, StandardCharsets.ISO_8859_1);
        HostGas.Output as = HostGas.exec(dir, "as", "--64", "-aln=enc.lst", "-o", "enc.o", "enc.s");
        if (as.exitValue() != 0) {
            throw new AssertionError("as rejects the generated source:\n" + errors(as.stderr(), lines));
        }
        HostGas.run(dir, "objcopy", "-O", "binary", "-j", ".text", "enc.o", "enc.bin");
        GasListing g = new GasListing(Files.readAllBytes(dir.resolve("enc.bin")));
        for (String l : Files.readAllLines(dir.resolve("enc.lst"), StandardCharsets.ISO_8859_1)) {
            Matcher m = LINE.matcher(l);
            if (m.find()) {
                g.addresses.putIfAbsent(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2), 16));
            }
        }
        for (String l : HostGas.run(dir, "nm", "enc.o").stdout().split("\n")) {
            Matcher m = SYMBOL.matcher(l.strip());
            if (m.matches()) {
                g.symbols.put(m.group(2), Long.parseUnsignedLong(m.group(1), 16));
            }
        }
        return g;
    }

    /** gas's error lines, each with the source line it names. */
    private static String errors(String stderr, List<String> lines) {
        StringBuilder sb = new StringBuilder();
        Matcher m = Pattern.compile("(?m)^enc\\.s:(\\d+): Error: (.*)$").matcher(stderr);
        int n = 0;
        while (m.find() && n++ < 20) {
            sb.append("  ").append(m.group(2)).append("   <- ").append(lines.get(Integer.parseInt(m.group(1)) - 1).strip())
                .append('\n');
        }
        return sb.length() == 0 ? stderr : sb.toString();
    }

    /** Address of the first byte the 1-based source line emitted; null if it emitted none. */
    Long address(int line) {
        return addresses.get(line);
    }

    /** The bytes from {@code start} to where the next line after {@code line} begins (or the end). */
    byte[] bytes(long start, int line) {
        Map.Entry<Integer, Long> next = addresses.higherEntry(line);
        long end = next == null ? text.length : next.getValue();
        return java.util.Arrays.copyOfRange(text, (int) start, (int) end);
    }
}
