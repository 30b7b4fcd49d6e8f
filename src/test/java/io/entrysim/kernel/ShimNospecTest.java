package io.entrysim.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.entrysim.assemble.Insn;
import io.entrysim.assemble.Op;
import io.entrysim.assemble.Operand;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Reg;
import io.entrysim.parse.HostGas;
import io.entrysim.exec.StopReason;
import io.entrysim.session.Build;
import io.entrysim.session.BuildOptions;
import io.entrysim.session.Machine;
import io.entrysim.session.RunSpec;
import io.entrysim.session.Toolchain;
import io.entrysim.source.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shim's JMP_NOSPEC/CALL_NOSPEC take the register as v4.15 spells it ({@code %rsi}) and as
 * 5.x and later spell it ({@code rsi}), in entrysim and in the host's gcc + gas alike.
 */
class ShimNospecTest {
    private static final Path SHIM_DIR = Path.of("src/main/resources/io/entrysim/kernel/shim");

    private static Build build(String body) {
        String text = "#include <asm/nospec-branch.h>\n" + body + "\n\thlt\n";
        BuildOptions o = new BuildOptions(List.of(), Map.of(), Set.of(), Set.of(), Map.of(), true);
        return Toolchain.build(new SourceFile("nospec.S", text), o);
    }

    private static final String CALLS = String.join("\n",
            "\tlea f(%rip), %rsi", "\tCALL_NOSPEC rsi", "\tCALL_NOSPEC %rsi",
            "\tlea f(%rip), %r11", "\tCALL_NOSPEC r11", "\tCALL_NOSPEC %r11",
            "\tlea table(%rip), %rax", "\tCALL_NOSPEC 8(%rax)",
            "\tlea g(%rip), %rdi", "\tJMP_NOSPEC rdi",
            "f:\tadd $1, %rbx", "\tret",
            "g:\tadd $0x100, %rbx", "\thlt",
            ".data", "table:\t.quad 0, f", ".text");

    @Test
    void bothSpellingsBranchThroughTheRegister() {
        Build b = build(CALLS);
        assertEquals(Map.of(), b.externals(), "no register name became a stubbed symbol");
        Machine m = Machine.create(b, RunSpec.defaults().withMaxSteps(100));
        Cpu cpu = m.cpu();
        assertEquals(StopReason.HLT, m.run().stop());
        assertEquals(0x105, cpu.reg(Reg.RBX), "five calls to f, then the jump to g");
        int calls = 0;
        for (Insn insn : b.program().code()) {
            if (insn.op == Op.CALL && insn.operands.length == 1 && insn.operands[0] instanceof Operand.Gpr g) {
                assertEquals(8, g.size());
                calls++;
            }
        }
        assertEquals(4, calls, "call *%rsi twice, call *%r11 twice");
    }

    @Test
    void jmpNospecTakesBothSpellingsToo() {
        for (String spelling : List.of("rax", "%rax")) {
            Build b = build("\tlea g(%rip), %rax\n\tJMP_NOSPEC " + spelling + "\n\tud2\ng:\tmov $7, %ecx");
            Machine m = Machine.create(b, RunSpec.defaults().withMaxSteps(100));
            Cpu cpu = m.cpu();
            assertEquals(StopReason.HLT, m.run().stop(), spelling);
            assertEquals(7, cpu.reg(Reg.RCX), spelling);
        }
    }

    /** gcc's cpp and gas assemble the shim's macros, both spellings, to the plain indirect branch. */
    @Test
    void gasAssemblesTheShimToThePlainBranch(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(HostGas.onPath("gcc") && HostGas.onPath("objcopy"), "gcc/objcopy not on PATH: gas check skipped");
        byte[] plain = text(dir, "plain", "\tcall *%rsi\n\tjmp *%r11\n\tcall *8(%rax)\n");
        for (String[] spelling : new String[][] {{"rsi", "r11"}, {"%rsi", "%r11"}}) {
            byte[] viaShim = text(dir, "shim" + spelling[0].length(), "#include <asm/nospec-branch.h>\n\tCALL_NOSPEC "
                    + spelling[0] + "\n\tJMP_NOSPEC " + spelling[1] + "\n\tCALL_NOSPEC 8(%rax)\n");
            assertArrayEquals(plain, viaShim, String.join(",", spelling));
        }
    }

    /** The .text bytes gcc -c makes of {@code source} with the shim directory first on the include path. */
    private static byte[] text(Path dir, String name, String source) throws IOException, InterruptedException {
        Path s = dir.resolve(name + ".S");
        Path o = dir.resolve(name + ".o");
        Path bin = dir.resolve(name + ".bin");
        Files.writeString(s, source);
        exec("gcc", "-c", "-x", "assembler-with-cpp", "-I", SHIM_DIR.toString(), "-o", o.toString(), s.toString());
        exec("objcopy", "-O", "binary", "--only-section=.text", o.toString(), bin.toString());
        return Files.readAllBytes(bin);
    }

    private static void exec(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " failed:\n" + out);
        }
    }
}
