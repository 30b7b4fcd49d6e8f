package io.entrysim.diff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.cpu.Flags;
import io.entrysim.cpu.Reg;
import io.entrysim.diff.DiffRunner.Outcome;
import io.entrysim.diff.Programs.FinalState;
import io.entrysim.diff.Programs.GenProgram;
import io.entrysim.diff.Programs.InitialState;
import io.entrysim.diff.Programs.Unit;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The differential harness itself: both sides really run, faults are caught, comparison and shrinking work. */
class HarnessSelfTest {
    private static final long SEED = 42;

    private static InitialState state() {
        long[] regs = new long[Reg.COUNT];
        regs[Reg.RAX] = 0x1234;
        regs[Reg.RBX] = -1;
        regs[Reg.RSP] = DiffLayout.INITIAL_RSP;
        return new InitialState(regs, Flags.FIXED1 | Flags.IF, SEED);
    }

    private static GenProgram program(String... lines) {
        List<Unit> units = new ArrayList<>();
        for (String l : lines) {
            units.add(Unit.code(List.of(l)));
        }
        return new GenProgram(0, units, state());
    }

    private static DiffRunner runner(Path dir) throws Exception {
        Assumptions.assumeTrue(NativeHarness.toolsAvailable(), "as/gcc not on PATH: skipped");
        return new DiffRunner(new NativeHarness(dir));
    }

    private static final String[] KNOWN = {"addq %rax, %rax", "movq %rax, 0x10000010", "pushq $7", "movb $1, %bh", "std", "stc"};

    /** Exact values on both sides, so neither can be a no-op. */
    private static void assertKnownResult(FinalState s, String side) {
        assertNull(s.problem(), side);
        assertEquals(0x2468, s.regs()[Reg.RAX], side + " rax");
        assertEquals(0xFFFF_FFFF_FFFF_01FFL, s.regs()[Reg.RBX], side + " rbx (%bh merged)");
        assertEquals(DiffLayout.INITIAL_RSP - 8, s.regs()[Reg.RSP], side + " rsp");
        assertEquals("CF DF", Flags.names(s.rflags() & DiffLayout.COMPARED_FLAGS), side + " flags");
        byte[] expected = DiffLayout.initialBuffer(SEED);
        ByteBuffer b = ByteBuffer.wrap(expected).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0x10, 0x2468);
        b.putLong((int) (DiffLayout.INITIAL_RSP - 8 - DiffLayout.BUFFER_BASE), 7);
        assertArrayEquals(expected, s.buffer(), side + " buffer");
    }

    @Test
    void bothSidesRunAProgramToTheSameExactState(@TempDir Path dir) throws Exception {
        try (DiffRunner r = runner(dir)) {
            Outcome o = r.run(List.of(program(KNOWN))).get(0);
            assertKnownResult(o.host(), "host");
            assertKnownResult(o.sim(), "entrysim");
            assertEquals(Verdict.Kind.AGREE, o.verdict().kind());
        }
    }

    @Test
    void aHostFaultIsReportedAndTheBatchGoesOn(@TempDir Path dir) throws Exception {
        try (DiffRunner r = runner(dir)) {
            List<Outcome> o = r.run(List.of(program("movq $8, %rax", "movq (%rax), %rbx"), program(KNOWN)));
            assertEquals(Verdict.Kind.HOST_FAULT, o.get(0).verdict().kind());
            assertEquals(List.of("native run got signal 11 (SIGSEGV) at address 0x8"), o.get(0).verdict().details());
            assertKnownResult(o.get(1).host(), "host after a fault");
        }
    }

    @Test
    void verdictComparesRegistersFlagsAndBufferButNotUndefinedFlags() {
        long[] regs = state().regs();
        byte[] buf = DiffLayout.initialBuffer(SEED);
        long flags = Flags.FIXED1 | Flags.IF | Flags.CF;
        FinalState host = new FinalState(regs, flags, buf, 0, null);
        assertEquals(Verdict.Kind.AGREE, Verdict.of(host, new FinalState(regs.clone(), flags, buf.clone(), 0, null)).kind());

        long[] other = regs.clone();
        other[Reg.R13] ^= 1L << 40;
        assertEquals(List.of("%r13 host 0x0000000000000000  entrysim 0x0000010000000000"),
            Verdict.of(host, new FinalState(other, flags, buf, 0, null)).details());

        FinalState afDiffers = new FinalState(regs, flags | Flags.AF, buf, 0, null);
        assertEquals(Verdict.Kind.MISMATCH, Verdict.of(host, afDiffers).kind());
        FinalState afUndefined = new FinalState(regs, flags | Flags.AF, buf, Flags.AF, null);
        assertEquals(Verdict.Kind.AGREE, Verdict.of(host, afUndefined).kind());
        FinalState dfDiffers = new FinalState(regs, flags | Flags.DF, buf, Flags.AF, null);
        assertEquals(Verdict.Kind.MISMATCH, Verdict.of(host, dfDiffers).kind());
        FinalState tfOnly = new FinalState(regs, flags | Flags.TF, buf, 0, null); // not compared
        assertEquals(Verdict.Kind.AGREE, Verdict.of(host, tfOnly).kind());

        byte[] b2 = buf.clone();
        b2[DiffLayout.BUFFER_SIZE - 1] ^= 1;
        List<String> d = Verdict.of(host, new FinalState(regs, flags, b2, 0, null)).details();
        assertEquals(1, d.size());
        assertTrue(d.get(0).startsWith("mem 0x10001ff8 host "), d.get(0));

        assertEquals(Verdict.Kind.HOST_FAULT, Verdict.of(FinalState.failed("x"), host).kind());
        assertEquals(Verdict.Kind.UNDEFINED_FLAG_READ,
            Verdict.of(host, FinalState.failed("entrysim strict flags: 'jz' reads undefined ZF")).kind());
        assertEquals(Verdict.Kind.MISMATCH, Verdict.of(host, FinalState.failed("entrysim stopped: FAULT")).kind());
    }

    @Test
    void bufferContentsAreSplitMix64AsInTheCDriver() {
        long[] s = {0};
        assertEquals(0xE220_A839_7B1D_CDAFL, DiffLayout.splitmix(s)); // SplitMix64's published first value for seed 0
        assertEquals(0x6E78_9E6A_A1B9_65F4L, DiffLayout.splitmix(s));
        ByteBuffer b = ByteBuffer.wrap(DiffLayout.initialBuffer(0)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(-1L, b.getLong(0), "top bits 111: the qword becomes all ones");
        assertEquals(0x6E78_9E6A_A1B9_65F4L, b.getLong(8));
    }

    @Test
    void shrinkerKeepsOnlyWhatTheFailureNeeds() throws Exception {
        List<Unit> units = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            units.add(Unit.code(List.of(i == 3 ? "need" : "filler" + i)));
        }
        units.add(new Unit(Unit.Kind.JUMP, List.of("jz {L}0")));
        units.add(Unit.code(List.of("setup", "bad")));
        units.add(new Unit(Unit.Kind.LABEL, List.of("{L}0:")));
        units.add(Unit.code(List.of("tail")));
        long[] regs = state().regs().clone();
        regs[Reg.R9] = 99;
        GenProgram failing = new GenProgram(7, units, new InitialState(regs, Flags.FIXED1 | Flags.IF | Flags.ZF, SEED));
        List<Integer> rounds = new ArrayList<>();
        GenProgram shrunk = Shrinker.shrink(failing, candidates -> {
            rounds.add(candidates.size());
            return candidates.stream().map(p -> {
                List<String> l = p.lines("");
                return l.contains("need") && l.contains("bad") && p.initial().regs()[Reg.RAX] == 0x1234;
            }).toList();
        });
        assertEquals(List.of("need", "setup", "bad"), shrunk.lines(""));
        long[] expected = new long[Reg.COUNT];
        expected[Reg.RAX] = 0x1234;
        expected[Reg.RSP] = DiffLayout.INITIAL_RSP;
        assertArrayEquals(expected, shrunk.initial().regs(), "registers the failure does not need are zeroed");
        assertEquals(Flags.FIXED1 | Flags.IF, shrunk.initial().rflags());
        assertTrue(rounds.size() < 40, "rounds: " + rounds);
    }

    /** The generator is deterministic and, over a CI-size sample, emits every instruction family and spelling. */
    @Test
    void generatorIsDeterministicAndCoversTheSubset() {
        assertEquals(ProgramGenerator.generate(123).lines(""), ProgramGenerator.generate(123).lines(""));
        Set<String> seen = new TreeSet<>();
        Pattern mnemonic = Pattern.compile("^(lock )?([a-z]+)");
        for (int i = 0; i < 3000; i++) {
            for (String line : ProgramGenerator.generate(DiffCampaign.programSeed(DifferentialTest.DEFAULT_SEED, i)).lines("")) {
                Matcher m = mnemonic.matcher(line);
                if (m.find()) {
                    seen.add(m.group(2));
                    if (m.group(1) != null) {
                        seen.add("lock");
                    }
                }
                for (String tag : new String[] {"%ah", "%bh", "%ch", "%dh", "%sil", "%r9b", "%cl,", "(%rsp)", ",8)"}) {
                    if (line.contains(tag)) {
                        seen.add(tag);
                    }
                }
            }
        }
        List<String> expected = new ArrayList<>(List.of(
            "add", "sub", "adc", "sbb", "and", "or", "xor", "cmp", "test", "inc", "dec", "neg", "not",
            "shl", "sal", "shr", "sar", "rol", "ror", "bt", "bts", "btr", "btc",
            "mov", "movabs", "movzbw", "movzbl", "movzbq", "movzwl", "movzwq", "movsbw", "movsbl", "movsbq",
            "movswl", "movswq", "movslq", "movzx", "movsx", "movsxd", "lea", "xchg", "push", "pop",
            "pushf", "pushfq", "pushfw", "popf", "popfq", "popfw", "clc", "stc", "cmc", "cld", "std", "nop", "jmp", "lock",
            "%ah", "%bh", "%ch", "%dh", "%sil", "%r9b", "%cl,", "(%rsp)", ",8)"));
        for (String c : new String[] {"o", "no", "b", "c", "nae", "ae", "nc", "nb", "e", "z", "ne", "nz", "be", "na",
            "a", "nbe", "s", "ns", "p", "pe", "np", "po", "l", "nge", "ge", "nl", "le", "ng", "g", "nle"}) {
            expected.addAll(List.of("j" + c, "set" + c, "cmov" + c));
        }
        List<String> missing = expected.stream().filter(e -> !seen.contains(e)
            && !seen.contains(e + "b") && !seen.contains(e + "w") && !seen.contains(e + "l") && !seen.contains(e + "q")).toList();
        assertEquals(List.of(), missing);
    }
}
