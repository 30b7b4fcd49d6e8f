package io.entrysim.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.entrysim.assemble.DataBlock;
import io.entrysim.assemble.Program;
import io.entrysim.parse.HostGas;
import io.entrysim.session.BuildOptions;
import io.entrysim.session.Toolchain;
import io.entrysim.source.SourceFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The layout against GNU as: random {@code .text} sections of instructions of every length,
 * labels, forward and backward {@code jmp}/{@code jcc}/{@code call} at short and near distances
 * (relaxation), {@code .p2align} with and without fill and max-skip, {@code .skip}/{@code .fill}
 * of constants, of label differences before them and of label differences in another section
 * further on (ALTERNATIVE's padding), and data bytes. (A size from labels of its own section
 * further on can have two fixed points, across an alignment; gas's choice between them is
 * not modelled.) The whole section's bytes
 * and every label's offset must equal {@code as --64}'s. {@code -Dlayout.count=N},
 * {@code -Dlayout.seed=S}.
 */
class LayoutDifferentialTest {
    static final String[] INSNS = {
        "nop", "ret", "hlt", "pushq %rax", "popq %r12", "movq %rax, %rbx", "movl $1, %eax", "movq $0x12345678, %rcx",
        "addq $8, %rsp", "addq $1000, %rsp", "leaq 8(%rsp), %rsi", "movq %gs:0x10, %rdx", "btq $63, %rdi",
        "andq $~0x1000, %rax", "movabsq $0x123456789a, %r8", "movq 0x100(%rbx,%rcx,8), %r9", "testb $1, %al",
        "xchgq %rax, %rbx", "movq %cr3, %rax", "swapgs", "syscall", "shlq $1, %r10", "incl (%rax)",
    };

    @Test
    void sectionsAndLabelsAreGasExact(@TempDir Path dir) throws Exception {
        HostGas.assumeTools("as", "objcopy", "nm");
        long seed = Long.decode(System.getProperty("layout.seed", "0x1a70ff"));
        int count = Integer.getInteger("layout.count", 300);
        System.out.println("[layout] seed=0x" + Long.toHexString(seed) + " count=" + count
                + " (rerun: -Dlayout.seed=0x" + Long.toHexString(seed) + " -Dlayout.count=" + count + ")");
        SplittableRandom seeds = new SplittableRandom(seed);
        int labels = 0;
        int refused = 0;
        for (int n = 0; n < count; n++) {
            long s = seeds.nextLong();
            String source = program(new SplittableRandom(s));
            Map<String, Long> gasLabels = new TreeMap<>();
            byte[] gas = gas(dir, source, gasLabels);
            if (gas == null) {
                refused++; // gas gave up (a size that depends on itself): nothing to compare
                continue;
            }
            Program p = Toolchain.build(new SourceFile("layout.S", source), BuildOptions.defaults().withStubs(false)).program();
            long base = p.sections().stream().filter(x -> x.name().equals(".text")).findFirst().orElseThrow().base();
            Map<String, Long> ours = new TreeMap<>();
            p.symbols().forEach((k, v) -> {
                if (gasLabels.containsKey(k)) {
                    ours.put(k, v - base);
                }
            });
            String where = "program seed 0x" + Long.toHexString(s) + ":\n" + source;
            assertEquals(gasLabels, ours, where);
            assertEquals(HexFormat.of().formatHex(gas), HexFormat.of().formatHex(text(p, base, gas.length)), where);
            labels += gasLabels.size();
        }
        System.out.println("[layout] " + (count - refused) + " sections, " + labels + " labels: identical to as ("
                + refused + " programs as refused)");
        assertEquals(true, refused < count / 10, "as refused " + refused + " of " + count + ": the generator is off");
    }

    /** A random section: every label Li is defined once, in order. */
    static String program(SplittableRandom r) {
        int nLabels = 2 + r.nextInt(12);
        int altLabels = 1 + r.nextInt(6);
        List<String> lines = new ArrayList<>();
        lines.add("\t.text");
        int defined = 0;
        int items = 10 + r.nextInt(60);
        for (int i = 0; i < items || defined < nLabels; i++) {
            if (defined < nLabels && (i >= items || r.nextInt(4) == 0)) {
                lines.add("L" + defined++ + ":");
                continue;
            }
            int target = r.nextInt(nLabels);
            switch (r.nextInt(13)) {
                case 0 -> lines.add("\tjmp L" + target);
                case 1 -> lines.add("\tj" + (r.nextBoolean() ? "ne" : "c") + " L" + target);
                case 2 -> lines.add("\tcall L" + target);
                case 3 -> lines.add("\t.p2align " + r.nextInt(7) + switch (r.nextInt(4)) {
                    case 0 -> ", 0x90";
                    case 1 -> ", 0xcc";
                    case 2 -> ",, " + r.nextInt(8);
                    default -> "";
                });
                case 4 -> lines.add("\t.skip " + (1 + r.nextInt(r.nextInt(4) == 0 ? 300 : 20)));
                case 5 -> {
                    // ALTERNATIVE's shape: a size from labels in another section, further on
                    int a = r.nextInt(altLabels);
                    int b = a + r.nextInt(altLabels - a);
                    lines.add("\t.fill R" + b + " - R" + a + ", 1, 0x" + Integer.toHexString(r.nextInt(256)));
                }
                case 11 -> {
                    // a size from labels already defined (across relaxed jumps and alignment)
                    if (defined > 0) {
                        int a = r.nextInt(defined);
                        int b = a + r.nextInt(defined - a);
                        lines.add("\t.skip (L" + b + " - L" + a + ") & 7");
                    }
                }
                case 6 -> lines.add("\t.byte 0x" + Integer.toHexString(r.nextInt(256)));
                default -> lines.add("\t" + INSNS[r.nextInt(INSNS.length)]);
            }
        }
        // the other section, after its uses: its labels are further on for every .fill above
        lines.add("\t.pushsection .text.alt, \"ax\"");
        for (int k = 0; k < altLabels; k++) {
            lines.add("R" + k + ":");
            for (int j = r.nextInt(4); j > 0; j--) {
                lines.add("\t" + INSNS[r.nextInt(INSNS.length)]);
            }
        }
        lines.add("\t.popsection");
        return String.join("\n", lines) + "\n";
    }

    static byte[] gas(Path dir, String source, Map<String, Long> labels) throws Exception {
        Files.writeString(dir.resolve("l.s"), source);
        if (HostGas.exec(dir, "as", "--64", "-o", "l.o", "l.s").exitValue() != 0) {
            return null;
        }
        HostGas.run(dir, "objcopy", "-O", "binary", "-j", ".text", "l.o", "l.bin");
        for (String line : HostGas.run(dir, "nm", "l.o").stdout().split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length == 3 && f[2].matches("L\\d+")) {
                labels.put(f[2], Long.parseLong(f[0], 16));
            }
        }
        return Files.readAllBytes(dir.resolve("l.bin"));
    }

    /** The bytes entrysim put in .text, {@code length} of them from {@code base}. */
    static byte[] text(Program p, long base, int length) {
        byte[] out = new byte[length];
        for (DataBlock b : p.data()) {
            if (b.section().equals(".text")) {
                long off = b.address() - base;
                for (int i = 0; i < b.bytes().length && off + i < length; i++) {
                    out[(int) (off + i)] = b.bytes()[i];
                }
            }
        }
        return out;
    }
}
