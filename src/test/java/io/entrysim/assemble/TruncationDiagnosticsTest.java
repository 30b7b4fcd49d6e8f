package io.entrysim.assemble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.diag.AsmError;
import io.entrysim.diag.AsmWarning;
import io.entrysim.parse.HostGas;
import io.entrysim.session.Build;
import io.entrysim.session.BuildOptions;
import io.entrysim.session.Toolchain;
import io.entrysim.source.SourceFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Values that do not fit where they go, and shift counts outside 0..63: the same warnings as
 * GNU as, on the same lines (checked against the host {@code as} when it is there), and gas's
 * error for an imm8 that cannot be one.
 */
class TruncationDiagnosticsTest {
    /** Lines gas assembles with or without a warning. */
    private static final List<String> LINES = List.of(
            "\tmovb $256, %al",
            "\taddl $0x1ffffffff, %eax",
            "\tmovl $-0x80000001, %eax",
            "\tmovw $0x10000, %ax",
            "\tmovw $-0x8001, %ax",
            "\taddb $-129, %al",
            "\tmovb $-255, %al",
            "\tmovb $-256, %al",
            "\tmovl $-0xffffffff, %eax",
            "\tmovl $-0x100000000, %eax",
            "\tshrb $300, %al",
            "\tshlb $-129, %al",
            "\tshlq $255, %rax",
            "\tbtq $-128, %rax",
            "\tmovq $1<<64, %rax",
            "\tmovq $1<<-1, %rax",
            "\tmovq $1>>64, %rax",
            "\t.if 1<<64",
            "\t.endif",
            "\t.data",
            "\t.quad 1<<64",
            "\t.quad 5>>65",
            "\t.byte 256",
            "\t.byte -129",
            "\t.byte -255",
            "\t.byte -256",
            "\t.word -65535",
            "\t.word -65536",
            "\t.long -0x80000001",
            "\t.long 0x1ffffffff",
            "\t.byte 0x8000000000000000",
            "\t.set s, 1<<70",
            "\t.quad s");

    private static Set<String> entrysimWarnings(String source) {
        Build b = Toolchain.build(new SourceFile("x.s", source), BuildOptions.defaults());
        Set<String> out = new TreeSet<>();
        for (AsmWarning w : b.warnings()) {
            out.add(w.origin().pos().line() + ": " + w.message());
        }
        return out;
    }

    @Test
    void theWarningsGasGives() {
        Set<String> w = entrysimWarnings(String.join("\n", LINES) + "\n");
        assertTrue(w.contains("1: 0x100 shortened to 0x0"), w.toString());
        assertTrue(w.contains("8: 0xffffffffffffff00 shortened to 0x0"), w.toString());
        assertTrue(w.contains("15: shift count out of range (64 is not between 0 and 63)"), w.toString());
        assertTrue(w.contains("16: shift count out of range (-1 is not between 0 and 63)"), w.toString());
        assertTrue(w.contains("18: shift count out of range (64 is not between 0 and 63)"), w.toString()); // .if
        assertTrue(w.contains("26: value 0xffffffffffffff00 truncated to 0x0"), w.toString());
        assertTrue(w.stream().noneMatch(s -> s.startsWith("3: ") || s.startsWith("6: ") || s.startsWith("24: ")),
                "gas is silent when the negation fits: " + w);
    }

    /**
     * A section the machine places at an alias of where the kernel links it (v4.15's entry
     * trampoline at cpu_entry_area): a 32-bit distance between it and the image fits at link time,
     * so no warning; a value that does not fit otherwise still warns.
     */
    @Test
    void aDistanceToAPlacedSectionIsNoTruncation() {
        String source = String.join("\n",
                "\t.section .entry_trampoline, \"ax\"",
                "tramp:\tnop",
                "\t.section .altinstructions, \"a\"",
                "\t.long tramp - .",
                "\t.long 0x1ffffffff",
                "\t.text",
                "\t.long tramp - .") + "\n";
        Build b = Toolchain.build(new SourceFile("x.s", source),
                BuildOptions.defaults().withMachine(io.entrysim.kernel.MachineLayout.pti()));
        Set<String> w = new TreeSet<>();
        for (AsmWarning x : b.warnings()) {
            w.add((x.origin() == null ? "-" : x.origin().pos().line()) + ": " + x.message());
        }
        assertTrue(w.stream().noneMatch(s -> s.startsWith("4: ") || s.startsWith("7: ")), w.toString());
        assertTrue(w.contains("5: value 0x1ffffffff truncated to 0xffffffff"), w.toString());
    }

    @Test
    void sameWarningsOnTheSameLinesAsGnuAs(@TempDir Path dir) throws Exception {
        HostGas.assumeTools("as");
        String source = String.join("\n", LINES) + "\n";
        Files.writeString(dir.resolve("x.s"), source);
        HostGas.Output gas = HostGas.run(dir, "as", "--64", "-o", "x.o", "x.s");
        Set<String> expected = new TreeSet<>();
        Matcher m = Pattern.compile("x\\.s:(\\d+): Warning: (.*)").matcher(gas.stderr());
        while (m.find()) {
            expected.add(m.group(1) + ": " + m.group(2));
        }
        assertEquals(expected, entrysimWarnings(source));
    }

    @Test
    void anImm8ThatCannotBeOneIsGasTypeMismatch() {
        for (String line : List.of("shlq $256, %rax", "shll $-129, %eax", "shlw $256, %ax", "btq $-129, %rax",
                "btl $256, (%rax)", "rolq $256, %rax")) {
            AsmError e = assertThrows(AsmError.class,
                    () -> Toolchain.build(new SourceFile("x.s", "\t" + line + "\n"), BuildOptions.defaults()), line);
            assertTrue(e.getMessage().startsWith("operand type mismatch for `"), e.format());
        }
    }
}
