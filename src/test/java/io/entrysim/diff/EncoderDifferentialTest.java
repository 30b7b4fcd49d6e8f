package io.entrysim.diff;

import static org.junit.jupiter.api.Assertions.fail;

import io.entrysim.assemble.Encoder;
import io.entrysim.assemble.Encoding.Request;
import io.entrysim.assemble.Insn;
import io.entrysim.assemble.Op;
import io.entrysim.assemble.Operand;
import io.entrysim.assemble.Program;
import io.entrysim.diag.Origin;
import io.entrysim.diag.SourcePos;
import io.entrysim.parse.Expr;
import io.entrysim.parse.ExprEvaluator;
import io.entrysim.parse.HostGas;
import io.entrysim.parse.InstructionStmt;
import io.entrysim.parse.Statement;
import io.entrysim.parse.StatementParser;
import io.entrysim.parse.SymbolResolver;
import io.entrysim.parse.UnresolvedSymbolException;
import io.entrysim.session.BuildOptions;
import io.entrysim.session.Toolchain;
import io.entrysim.source.SourceFile;
import io.entrysim.source.SourceLine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The encoder against GNU as, byte for byte (issue 8): random instruction texts over every form
 * entrysim assembles ({@link EncodingForms}, plus programs of the host-CPU differential test's
 * {@link ProgramGenerator}) are assembled by {@code as --64} and by entrysim
 * ({@link Toolchain#build}), and every decoded instruction, encoded by {@link Encoder} at gas's
 * address for it, must give gas's bytes. Skipped visibly without as/objcopy/nm.
 *
 * <pre>
 *   -Denc.seed=N    seed (decimal or 0x hex); default {@link #DEFAULT_SEED}
 *   -Denc.count=N   instructions to compare, at least (default 10000)
 *   -Denc.batch=N   generated units per as run (default 2500)
 * </pre>
 */
class EncoderDifferentialTest {
    static final long DEFAULT_SEED = 0x5EED_E9C0_DE08L;
    private static final int MAX_REPORTED = 25;

    @Test
    void entrysimEncodesAsGnuAsDoes(@TempDir Path dir) throws Exception {
        HostGas.assumeTools("as", "objcopy", "nm");
        long seed = DifferentialTest.property("enc.seed", DEFAULT_SEED);
        long count = DifferentialTest.property("enc.count", 10_000);
        int batch = (int) DifferentialTest.property("enc.batch", 2_500);
        System.out.printf("[enc] seed=0x%x count=%d batch=%d%n"
            + "[enc] rerun: mvn -o test -Dtest=EncoderDifferentialTest -Denc.seed=0x%x -Denc.count=%d%n",
            seed, count, batch, seed, count);
        long t0 = System.nanoTime();
        Tally tally = new Tally();
        for (int b = 0; tally.compared < count; b++) {
            runBatch(dir, seed + b, batch, tally);
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "[enc] %d instructions in %d batches compared in %.1f s: %d mismatches%n",
            tally.compared, tally.batches, s, tally.mismatches);
        System.out.println("[enc] coverage: " + tally.coverage);
        if (tally.mismatches > 0) {
            fail(tally.mismatches + " of " + tally.compared + " instructions are not encoded as gas encodes them (first "
                + tally.report.size() + "):\n" + String.join("\n", tally.report));
        }
    }

    private static final class Tally {
        long compared;
        long mismatches;
        int batches;
        final List<String> report = new ArrayList<>();
        /** How often each operation and each gas choice the request carries came up. */
        final Map<String, Integer> coverage = new java.util.TreeMap<>();

        void count(Request r) {
            coverage.merge(r.op().name(), 1, Integer::sum);
            if (r.isDirectBranch()) {
                coverage.merge(r.op() == Op.CALL ? "call-rel32" : r.shortBranch() ? "branch-rel8" : "branch-rel32", 1,
                    Integer::sum);
            }
            r.operands().stream().filter(o -> o instanceof Operand.Mem).map(o -> (Operand.Mem) o).forEach(m ->
                coverage.merge(m.ripRelative() ? (r.dispSymbolic() ? "rip-label" : "rip-constant")
                    : m.base() == Operand.Mem.NO_REG ? "mem-no-base" : m.index() == Operand.Mem.NO_REG ? "mem-base"
                    : "mem-base-index", 1, Integer::sum));
            if (r.segment() != null) {
                coverage.merge("segment-" + r.segment(), 1, Integer::sum);
            }
            if (r.immSymbolic()) {
                coverage.merge("imm-symbolic", 1, Integer::sum);
            }
            if (r.dispSymbolic()) {
                coverage.merge("disp-symbolic", 1, Integer::sum);
            }
            if (r.writtenImm() != null) {
                coverage.merge("imm-as-written", 1, Integer::sum);
            }
            if (!r.prefixes().isEmpty() || !r.standalonePrefixes().isEmpty()) {
                coverage.merge(r.standalonePrefixes().isEmpty() ? "lock" : "lock-alone", 1, Integer::sum);
            }
        }

        void mismatch(String line) {
            mismatches++;
            if (report.size() < MAX_REPORTED) {
                report.add(line);
            }
        }
    }

    private static void runBatch(Path dir, long seed, int units, Tally tally) throws Exception {
        EncodingForms forms = new EncodingForms(seed, "");
        List<String> lines = new ArrayList<>(forms.generate(units));
        // the host-CPU test's programs too: every form it runs, spelled as it spells them
        List<Programs.GenProgram> programs = new ArrayList<>();
        for (int i = 0; i < units / 100; i++) {
            programs.add(ProgramGenerator.generate(seed * 1_000 + i));
        }
        lines.addAll(List.of(BatchSource.programs(programs).split("\n")));
        lines.add("program_exit:");
        lines.add("\tnop");

        GasListing gas = GasListing.assemble(dir, lines);
        Program program = Toolchain.build(new SourceFile("enc.S", String.join("\n", lines) + "\n"),
            BuildOptions.defaults().withStubs(false)).program();
        Map<Long, Long> labelAddress = labelAddresses(program, gas);
        Function<Expr, Long> constantHere = e -> {
            try {
                return ExprEvaluator.eval(e, SymbolResolver.ofSymbols(forms.constants()::get));
            } catch (UnresolvedSymbolException u) {
                return null;
            }
        };
        StatementParser parser = new StatementParser();
        Insn[] code = program.code();
        for (Insn insn : code) {
            if (insn.op == Op.STUB) {
                continue;
            }
            int line = insn.origin.pos().line();
            InstructionStmt stmt = statement(parser, lines.get(line - 1), line);
            boolean loneLock = line >= 2 && lines.get(line - 2).strip().equals("lock");
            List<String> standalone = loneLock ? List.of("lock") : List.of();
            long start = start(gas, lines, line);
            byte[] expected = gas.bytes(start, line);
            Request r = Request.of(insn, stmt, standalone, constantHere).at(start);
            if (r.isDirectBranch()) {
                r = r.branch(start(gas, lines, code[insn.target].origin.pos().line()), expected.length == 2);
            } else if (r.dispSymbolic()) {
                r = r.withOperands(ripTargets(r.operands(), labelAddress, start - insn.address));
            }
            String ours;
            try {
                ours = hex(Encoder.encode(r));
            } catch (IllegalArgumentException | ClassCastException | IndexOutOfBoundsException e) {
                ours = e.toString();
            }
            tally.compared++;
            tally.count(r);
            if (!ours.equals(hex(expected))) {
                tally.mismatch(String.format("  %-50s gas %-30s entrysim %s", lines.get(line - 1).strip(), hex(expected), ours));
            }
        }
        tally.batches++;
    }

    /** Where gas put the instruction of a source line: a lone {@code lock} on the line before counts. */
    private static long start(GasListing gas, List<String> lines, int line) {
        boolean loneLock = line >= 2 && lines.get(line - 2).strip().equals("lock");
        Long a = gas.address(loneLock ? line - 1 : line);
        if (a == null) {
            throw new AssertionError("gas emitted nothing for line " + line + ": " + lines.get(line - 1));
        }
        return a;
    }

    private static InstructionStmt statement(StatementParser parser, String text, int line) {
        for (Statement s : parser.parse(new SourceLine(text, Origin.at(new SourcePos("enc.S", line, 1))))) {
            if (s instanceof InstructionStmt i) {
                return i;
            }
        }
        throw new AssertionError("no instruction on line " + line + ": " + text);
    }

    /** entrysim's address of each .text label to gas's. */
    private static Map<Long, Long> labelAddresses(Program program, GasListing gas) {
        Map<Long, Long> out = new HashMap<>();
        program.symbols().forEach((name, value) -> {
            Long g = gas.symbols.get(name);
            if (g != null) {
                out.put(value, g);
            }
        });
        return out;
    }

    /**
     * A symbolic RIP-relative operand at gas's address for its label: from gas's symbol table,
     * or (a local .L label, which gas keeps out of it) moved as far as the instruction moved.
     */
    private static List<Operand> ripTargets(List<Operand> ops, Map<Long, Long> labelAddress, long moved) {
        List<Operand> out = new ArrayList<>();
        for (Operand o : ops) {
            if (o instanceof Operand.Mem m && m.ripRelative()) {
                Long g = labelAddress.get(m.disp());
                o = new Operand.Mem(m.seg(), m.base(), m.index(), m.scale(), g != null ? g : m.disp() + moved, true);
            }
            out.add(o);
        }
        return out;
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
