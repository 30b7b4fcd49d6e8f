package io.entrysim.diff;

import io.entrysim.parse.HostGas;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * GNU as and objdump as the oracle of machine code: assemble a source to the raw bytes of its
 * {@code .text}, and disassemble raw bytes at an address the way {@code objdump -d} prints them
 * without symbols.
 */
final class Binutils {
    private Binutils() {}

    /** One line of {@code objdump -d -w}: an instruction's address, bytes and text (trailing blanks removed). */
    record Line(long address, int length, String text) {}

    /** The bytes of {@code .text} of {@code source} assembled by {@code as --64}. */
    static byte[] assemble(Path dir, String name, String source) throws IOException, InterruptedException {
        Files.writeString(dir.resolve(name + ".s"), source, StandardCharsets.ISO_8859_1);
        HostGas.run(dir, "as", "--64", "-o", name + ".o", name + ".s");
        HostGas.run(dir, "objcopy", "-O", "binary", "-j", ".text", name + ".o", name + ".bin");
        return Files.readAllBytes(dir.resolve(name + ".bin"));
    }

    /** objdump's disassembly of {@code code} placed at {@code base}, one entry per instruction line. */
    static List<Line> disassemble(Path dir, String name, byte[] code, long base) throws IOException, InterruptedException {
        Files.write(dir.resolve(name + ".raw"), code);
        HostGas.Output out = HostGas.run(dir, "objdump", "-D", "-b", "binary", "-m", "i386:x86-64", "-w",
                "--adjust-vma=0x" + Long.toHexString(base), name + ".raw");
        List<Line> lines = new ArrayList<>();
        for (String l : out.stdout().split("\n")) {
            String[] f = l.split("\t", 3);
            if (f.length < 2 || !f[0].matches("\\s*[0-9a-f]+:")) {
                continue;
            }
            long address = Long.parseUnsignedLong(f[0].strip().replace(":", ""), 16);
            int length = f[1].isBlank() ? 0 : f[1].strip().split(" +").length;
            lines.add(new Line(address, length, f.length > 2 ? f[2].stripTrailing() : ""));
        }
        return lines;
    }
}
