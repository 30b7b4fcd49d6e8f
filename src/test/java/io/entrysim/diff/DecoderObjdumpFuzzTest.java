package io.entrysim.diff;

import static org.junit.jupiter.api.Assertions.fail;

import io.entrysim.assemble.Decoded;
import io.entrysim.assemble.MachineCodeDecoder;
import io.entrysim.parse.HostGas;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random byte strings, biased towards the opcodes, prefixes and ModRM/SIB forms entrysim models,
 * decoded by {@link MachineCodeDecoder} and by objdump: whatever the decoder accepts must have
 * objdump's length and text, and whatever objdump calls {@code (bad)} the decoder must refuse.
 * Each candidate sits in its own 32-byte slot padded with nops, so a disagreement stays local.
 *
 * <pre>
 *   -Ddecoder.fuzz.seed=N    seed (default fixed)
 *   -Ddecoder.fuzz.count=N   candidates (default 20000)
 *   -Ddecoder.fuzz.verbose=true   print every refusal beside objdump's text
 * </pre>
 */
class DecoderObjdumpFuzzTest {
    private static final long BASE = 0xffffffff81000000L;
    private static final int SLOT = 32;

    /** Opcodes the decoder models (one-byte map), and their 0f-map companions. */
    private static final int[] ONE_BYTE = {
        0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15,
        0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d,
        0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x50, 0x53, 0x54, 0x57, 0x58, 0x5c,
        0x5f, 0x63, 0x68, 0x6a, 0x70, 0x74, 0x7f, 0x80, 0x81, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b,
        0x8d, 0x8f, 0x90, 0x91, 0x94, 0x97, 0x9c, 0x9d, 0xa0, 0xa1, 0xa2, 0xa3, 0xa8, 0xa9, 0xb0, 0xb4, 0xb7, 0xb8,
        0xbc, 0xbf, 0xc0, 0xc1, 0xc2, 0xc3, 0xc6, 0xc7, 0xcf, 0xd0, 0xd1, 0xd2, 0xd3, 0xe8, 0xe9, 0xeb, 0xf4, 0xf5,
        0xf6, 0xf7, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff};
    private static final int[] TWO_BYTE = {
        0x01, 0x05, 0x07, 0x0b, 0x1f, 0x20, 0x22, 0x30, 0x32, 0x40, 0x44, 0x4f, 0x80, 0x85, 0x8f, 0x90, 0x94, 0x9f,
        0xa3, 0xab, 0xae, 0xb3, 0xb6, 0xb7, 0xba, 0xbb, 0xbe, 0xbf};
    private static final int[] PREFIXES = {0x66, 0x66, 0x66, 0xf0, 0xf0, 0xf3, 0xf2, 0x2e, 0x3e, 0x26, 0x36, 0x64, 0x65,
        0x65, 0x67};
    /** ModRM bytes of the system instructions in group 7 and 15. */
    private static final int[] SPECIAL_MODRM = {0xf8, 0xca, 0xcb, 0xe8, 0xe9, 0xef, 0xf0, 0xf1, 0xf8, 0xf9, 0xc0, 0xc8,
        0xd0, 0xd8};

    @Test
    void decoderAgreesWithObjdumpOnRandomBytes(@TempDir Path dir) throws Exception {
        HostGas.assumeTools("objdump");
        long seed = Long.decode(System.getProperty("decoder.fuzz.seed", "0x5eedf022"));
        int count = Integer.parseInt(System.getProperty("decoder.fuzz.count", "20000"));
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] code = new byte[count * SLOT];
        java.util.Arrays.fill(code, (byte) 0x90);
        List<Decoded> mine = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            byte[] c = candidate(rnd);
            int at = k * SLOT;
            System.arraycopy(c, 0, code, at, c.length);
            Decoded d = MachineCodeDecoder.decode(code, at, BASE + at);
            int used = d.bytes().length;
            java.util.Arrays.fill(code, at + used, at + SLOT, (byte) 0x90); // the rest of the slot: nops
            mine.add(MachineCodeDecoder.decode(code, at, BASE + at));
        }
        long start = System.nanoTime();
        Map<Long, Binutils.Line> theirs = new HashMap<>();
        for (Binutils.Line l : Binutils.disassemble(dir, "fuzz", code, BASE)) {
            theirs.put(l.address(), l);
        }
        int accepted = 0;
        int refused = 0;
        int skipped = 0;
        Map<Decoded.Problem, Integer> refusals = new TreeMap<>();
        int objdumpBad = 0;
        List<String> failures = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            long at = BASE + (long) k * SLOT;
            Binutils.Line l = theirs.get(at);
            Decoded d = mine.get(k);
            if (l == null) {
                skipped++; // objdump's decoding of an earlier slot ran over this one
                continue;
            }
            boolean bad = l.text().contains("(bad)") || l.text().startsWith(".byte");
            if (d instanceof Decoded.Instruction i) {
                accepted++;
                if (bad || l.length() != i.length() || !l.text().equals(i.insn().text)) {
                    failures.add(String.format("%s: objdump %d bytes `%s', decoder %d bytes `%s'",
                            Decoded.hex(java.util.Arrays.copyOfRange(code, k * SLOT, k * SLOT + Math.max(l.length(), i.length()))),
                            l.length(), l.text(), i.length(), i.insn().text));
                }
            } else {
                refused++;
                Decoded.Invalid inv = (Decoded.Invalid) d;
                refusals.merge(inv.problem(), 1, Integer::sum);
                objdumpBad += bad ? 1 : 0;
                if (Boolean.getBoolean("decoder.fuzz.verbose")) { // what objdump makes of each refusal
                    System.out.println("[decoder-fuzz] refused " + inv.message() + " | objdump: " + l.text());
                }
            }
        }
        System.out.printf(Locale.ROOT, "[decoder-fuzz] seed=0x%x count=%d: %d accepted (as objdump), %d refused %s "
                + "(%d of them objdump's (bad) too), %d skipped; objdump %.1f s%n",
                seed, count, accepted, refused, refusals, objdumpBad, skipped, (System.nanoTime() - start) / 1e9);
        if (!failures.isEmpty()) {
            fail(failures.size() + " disagreements with objdump, e.g.:\n  "
                    + String.join("\n  ", failures.subList(0, Math.min(40, failures.size()))));
        }
    }

    private static byte[] candidate(SplittableRandom rnd) {
        byte[] c = new byte[16];
        int n = 0;
        int prefixes = rnd.nextInt(10) < 5 ? 0 : 1 + rnd.nextInt(rnd.nextInt(4) + 1);
        for (int i = 0; i < prefixes; i++) {
            c[n++] = (byte) PREFIXES[rnd.nextInt(PREFIXES.length)];
        }
        if (rnd.nextInt(10) < 4) {
            c[n++] = (byte) (0x40 + rnd.nextInt(16));
        }
        boolean twoByte = rnd.nextInt(10) < 3;
        if (twoByte) {
            c[n++] = 0x0f;
            c[n++] = (byte) (rnd.nextInt(10) < 8 ? TWO_BYTE[rnd.nextInt(TWO_BYTE.length)] : rnd.nextInt(256));
        } else {
            c[n++] = (byte) (rnd.nextInt(10) < 8 ? ONE_BYTE[rnd.nextInt(ONE_BYTE.length)] : rnd.nextInt(256));
        }
        if (rnd.nextInt(10) == 0) {
            c[n++] = (byte) SPECIAL_MODRM[rnd.nextInt(SPECIAL_MODRM.length)];
        }
        while (n < c.length) {
            c[n++] = (byte) (rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(256));
        }
        return c;
    }
}
