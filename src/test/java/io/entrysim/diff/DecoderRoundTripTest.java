package io.entrysim.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.entrysim.assemble.Decoded;
import io.entrysim.assemble.Insn;
import io.entrysim.assemble.MachineCodeDecoder;
import io.entrysim.assemble.Op;
import io.entrysim.assemble.Operand;
import io.entrysim.assemble.Program;
import io.entrysim.diag.AsmError;
import io.entrysim.diff.Programs.GenProgram;
import io.entrysim.parse.HostGas;
import io.entrysim.session.BuildOptions;
import io.entrysim.session.Toolchain;
import io.entrysim.source.SourceFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decoder against GNU as and objdump. Random instruction lines ({@link ProgramGenerator}'s
 * programs and {@link EncodingVariety}'s system instructions, memory shapes, short forms and
 * branches) are assembled by {@code as}; {@link MachineCodeDecoder} decodes gas's bytes, and
 * every instruction must (a) equal what entrysim's own assembler builds from the same line (op,
 * sizes, condition, operands; a direct branch or RIP-relative operand must reach the same
 * instruction, by index, since the assembler still lays instructions out in 4-byte slots) and
 * (b) have the text objdump prints for those bytes. Skipped when binutils are missing.
 *
 * <pre>
 *   -Ddecoder.roundtrip.seed=N    seed (decimal or 0x hex; default fixed)
 *   -Ddecoder.roundtrip.count=N   instructions (default 12000), assembled 20000 per batch
 * </pre>
 */
class DecoderRoundTripTest {
    static final long DEFAULT_SEED = 0xdec0_de5e_edL;
    private static final long BASE = 0xffffffff81000000L;
    private static final int BATCH = 20_000;
    private static final int MAX_REPORTED = 30;

    @Test
    void gasMachineCodeDecodesAsEntrysimAssemblesTheSource(@TempDir Path dir) throws Exception {
        HostGas.assumeTools("as", "objcopy", "objdump");
        long seed = Long.decode(System.getProperty("decoder.roundtrip.seed", "0x" + Long.toHexString(DEFAULT_SEED)));
        int count = Integer.parseInt(System.getProperty("decoder.roundtrip.count", "12000").replace("_", ""));
        SplittableRandom rnd = new SplittableRandom(seed);
        long start = System.nanoTime();
        Tally tally = new Tally();
        for (int batch = 0; tally.instructions < count; batch++) {
            int n = Math.min(BATCH, count - tally.instructions);
            roundTrip(dir, "rt" + batch, source(rnd, n), tally);
            if (tally.failures.size() >= MAX_REPORTED) {
                break;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "[decoder] seed=0x%x: %d instructions (%d bytes, %d distinct texts, %d ops) in %.1f s, %d failing%n"
                + "[decoder] rerun: mvn -o test -Dtest=DecoderRoundTripTest -Ddecoder.roundtrip.seed=0x%x -Ddecoder.roundtrip.count=%d%n",
                seed, tally.instructions, tally.bytes, tally.texts.size(), tally.ops.size(), seconds,
                tally.failures.size(), seed, count);
        if (!tally.failures.isEmpty()) {
            fail(tally.failures.size() + " instructions disagree:\n  " + String.join("\n  ", tally.failures));
        }
        Set<Op> missing = EnumSet.complementOf(EnumSet.copyOf(tally.ops.keySet()));
        missing.remove(Op.STUB);
        if (count >= 5_000) {
            assertEquals(Set.of(), missing, "operations the round trip never produced");
        }
    }

    /**
     * Code gas makes without instruction lines: alignment padding ({@code .p2align}, {@code .nops})
     * and instructions emitted as data, as the kernel does (v5.8+ {@code irq_entries_start}'s
     * {@code .byte 0x6a, vector}; v4.15 {@code STATIC_JUMP}'s {@code .byte 0xe9; .long}; the
     * {@code ASM_CLAC}/{@code ASM_STAC} bytes; v4.15's 5-byte {@code P6_NOP5}). Every byte must
     * decode, as objdump prints it.
     */
    @Test
    void paddingAndBytesEmittedAsDataDecodeAsObjdumpPrintsThem(@TempDir Path dir) throws Exception {
        HostGas.assumeTools("as", "objcopy", "objdump");
        StringBuilder s = new StringBuilder();
        for (int n = 1; n <= 40; n++) {
            s.append("\t.nops ").append(n).append("\n\thlt\n");
        }
        for (int n = 0; n < 64; n++) {
            s.append("\t.rept ").append(n).append("\n\thlt\n\t.endr\n\t.p2align ").append(n % 7).append('\n');
        }
        for (int v = 0; v < 256; v++) { // irq_entries_start: push $(~vector+0x80); jmp common (2-byte jmp)
            s.append("\t.byte 0x6a, ").append(v).append("\n\tjmp common_interrupt\n\t.p2align 3\n");
        }
        s.append("common_interrupt:\n");
        for (int k = 0; k < 16; k++) { // STATIC_JUMP
            s.append("\t.byte 0xe9\n\t.long .Lsj").append(k).append(" - 1f\n1:\n\t.skip ").append(k * 37)
                    .append(", 0x90\n.Lsj").append(k).append(":\n");
        }
        s.append("\t.byte 0x0f,0x01,0xcb\n\t.byte 0x0f,0x01,0xca\n\t.byte 0x0f,0x1f,0x44,0x00,0\n");
        s.append("\t.byte 0x2e\n\tcall *%r11\n\tret\n");
        byte[] code = Binutils.assemble(dir, "pad", s.toString());
        List<Binutils.Line> objdump = Binutils.disassemble(dir, "pad", code, BASE);
        int offset = 0;
        int k = 0;
        List<String> failures = new ArrayList<>();
        while (offset < code.length) {
            Decoded d = MachineCodeDecoder.decode(code, offset, BASE + offset);
            Binutils.Line o = objdump.get(k++);
            if (!(d instanceof Decoded.Instruction i) || o.address() != BASE + offset || o.length() != i.length()
                    || !o.text().equals(i.insn().text)) {
                failures.add(d + " vs objdump " + o);
                break;
            }
            offset += i.length();
        }
        assertEquals(List.of(), failures);
        assertEquals(objdump.size(), k);
        System.out.printf(Locale.ROOT, "[decoder] padding and emitted bytes: %d instructions, %d bytes%n", k, code.length);
    }

    /** What the batches found. */
    private static final class Tally {
        int instructions;
        long bytes;
        final Map<Op, Integer> ops = new EnumMap<>(Op.class);
        final Set<String> texts = new java.util.HashSet<>();
        final List<String> failures = new ArrayList<>();

        void fail(String what) {
            if (failures.size() < MAX_REPORTED) {
                failures.add(what);
            }
        }
    }

    /** About {@code n} instruction lines: half from the differential generator's programs, half from {@link EncodingVariety}. */
    private static String source(SplittableRandom rnd, int n) {
        List<GenProgram> programs = new ArrayList<>();
        int lines = 0;
        while (lines < n / 2) {
            GenProgram p = ProgramGenerator.generate(rnd.nextLong());
            programs.add(p);
            lines += p.instructionCount() + 1;
        }
        StringBuilder sb = new StringBuilder(BatchSource.programs(programs));
        for (String l : EncodingVariety.lines(rnd, Math.max(1, n - lines))) {
            sb.append(l.endsWith(":") ? "" : "\t").append(l).append('\n');
        }
        return sb.append("program_exit:\n\thlt\n").toString();
    }

    private static void roundTrip(Path dir, String name, String source, Tally tally) throws Exception {
        byte[] code = Binutils.assemble(dir, name, source);
        List<Binutils.Line> objdump = Binutils.disassemble(dir, name, code, BASE);
        Program program;
        try {
            program = Toolchain.build(new SourceFile(name + ".S", source), BuildOptions.defaults()).program();
        } catch (AsmError e) {
            throw new AssertionError("entrysim rejects a line gas accepts: " + e.format(), e);
        }
        Insn[] entrysim = program.code();
        // gas's instructions, decoded one after the other
        List<Insn> decoded = new ArrayList<>();
        Map<Long, Integer> gasIndex = new HashMap<>();
        int offset = 0;
        while (offset < code.length) {
            long at = BASE + offset;
            gasIndex.put(at, decoded.size());
            Decoded d = MachineCodeDecoder.decode(code, offset, at);
            int k = decoded.size();
            String line = k < entrysim.length ? entrysim[k].text : "?";
            if (d instanceof Decoded.Instruction i) {
                decoded.add(i.insn());
                offset += i.length();
                continue;
            }
            tally.fail("`" + line + "': " + d);
            return; // the two streams no longer line up
        }
        gasIndex.put(BASE + code.length, decoded.size());
        if (decoded.size() != objdump.size() || decoded.size() != entrysim.length) {
            tally.fail(name + ": " + decoded.size() + " decoded instructions, objdump " + objdump.size()
                    + ", entrysim " + entrysim.length);
            return;
        }
        for (int k = 0; k < decoded.size(); k++) {
            Insn d = decoded.get(k);
            Insn e = entrysim[k];
            Binutils.Line o = objdump.get(k);
            tally.instructions++;
            tally.bytes += d.nextAddress - d.address;
            tally.ops.merge(d.op, 1, Integer::sum);
            tally.texts.add(d.text);
            String bytes = hex(code, (int) (d.address - BASE), (int) (d.nextAddress - d.address));
            if (o.address() != d.address || o.length() != d.nextAddress - d.address || !o.text().equals(d.text)) {
                tally.fail(String.format("`%s' = %s: objdump prints `%s' (%d bytes), the decoder `%s' (%d bytes)",
                        e.text, bytes, o.text(), o.length(), d.text, d.nextAddress - d.address));
            }
            String why = differs(d, e, k, gasIndex, program);
            if (why != null) {
                tally.fail(String.format("`%s' = %s (%s): %s%n      decoder:   %s%n      assembler: %s", e.text, bytes,
                        d.text, why, describe(d), describe(e)));
            }
        }
    }

    /** Why the decoded instruction is not the one the assembler built, or null. */
    private static String differs(Insn d, Insn e, int k, Map<Long, Integer> gasIndex, Program program) {
        if (e.op == Op.XCHG && d.op == Op.NOP && e.operands[0].equals(e.operands[1])
                && e.operands[0] instanceof Operand.Gpr g && g.reg() == 0 && g.size() == 8) {
            return null; // gas encodes xchg %rax,%rax as 90, nop
        }
        if (d.op != e.op || d.cond != e.cond) {
            return "operation";
        }
        if (d.op != Op.NOP && (d.size != e.size || d.srcSize != e.srcSize)) {
            return "size"; // the assembler sizes a suffixless "nop %ax" 4; only the operand matters
        }
        if (d.isDirectBranch() != e.isDirectBranch()) {
            return "direct or indirect";
        }
        if (d.isDirectBranch()) {
            Integer target = gasIndex.get(d.targetAddress);
            return target != null && target == e.target ? null
                    : "branch target: instruction " + target + " (decoder) vs " + e.target + " (assembler)";
        }
        if (d.operands.length != e.operands.length) {
            return "operand count";
        }
        boolean symmetric = d.op == Op.XCHG || d.op == Op.TEST; // gas may swap the operands
        if (sameOperands(d, e.operands, gasIndex, program, d.size)) {
            return null;
        }
        if (symmetric && d.operands.length == 2
                && sameOperands(d, new Operand[] {e.operands[1], e.operands[0]}, gasIndex, program, d.size)) {
            return null;
        }
        return "operands";
    }

    private static boolean sameOperands(Insn d, Operand[] e, Map<Long, Integer> gasIndex, Program program, int size) {
        for (int i = 0; i < e.length; i++) {
            if (!sameOperand(d.operands[i], e[i], gasIndex, program, size)) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameOperand(Operand d, Operand e, Map<Long, Integer> gasIndex, Program program, int size) {
        if (d instanceof Operand.Imm a && e instanceof Operand.Imm b) {
            long mask = size >= 8 ? -1L : (1L << (8 * size)) - 1;
            return (a.value() & mask) == (b.value() & mask);
        }
        if (d instanceof Operand.Mem a && e instanceof Operand.Mem b && a.ripRelative() && b.ripRelative()) {
            Integer gas = gasIndex.get(a.disp());
            if (gas == null) {
                // K(%rip) reaching no instruction start: the same offset into the code
                return a.seg() == b.seg() && a.disp() - BASE == b.disp() - program.sections().get(0).base();
            }
            return a.seg() == b.seg() && gas == program.indexOf(b.disp());
        }
        return d.equals(e);
    }

    private static String describe(Insn i) {
        return i.op + " size " + i.size + "/" + i.srcSize + (i.cond != null ? " " + i.cond : "")
                + " " + Arrays.toString(i.operands) + (i.isDirectBranch()
                        ? String.format(" -> #%d 0x%x", i.target, i.targetAddress) : "");
    }

    private static String hex(byte[] code, int from, int n) {
        return Decoded.hex(Arrays.copyOfRange(code, from, from + n));
    }
}
