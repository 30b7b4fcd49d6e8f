package io.entrysim.bench;

import io.entrysim.source.IncludeRoot;
import io.entrysim.diag.Origin;
import io.entrysim.source.SourceFile;
import io.entrysim.source.SourceLine;
import io.entrysim.diag.SourcePos;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The benchmarks' inputs, generated in code so that every benchmark runs on any checkout (no
 * corpus needed). Each generator is deterministic: {@link BenchmarkWorkloadsTest} pins the sizes
 * the benchmarks' {@code @OperationsPerInvocation} counts rely on.
 */
public final class Workloads {
    private Workloads() {}

    // ---- cpp: a main file with include-guarded headers, object/function-like macros, #if chains

    static final String DEFS_H = String.join("\n",
            "/* generated benchmark header: constants and helper macros */",
            "#ifndef BENCH_DEFS_H",
            "#define BENCH_DEFS_H",
            "#define PTI_USER_PGTABLE_BIT 12",
            "#define PTI_USER_PGTABLE_MASK (1 << PTI_USER_PGTABLE_BIT)",
            "#define PER_CPU_VAR(var) %gs:var",
            "#define __stringify_1(x...) #x",
            "#define __stringify(x...) __stringify_1(x)",
            "#define SLOT(n) (8 * (n))",
            "#define ADJ(a, b) ((a) + (b) * SLOT(2))",
            "#define BLOCK_KIND(n) ((n) % 4)",
            "#define __USER_DS (6 * 8 + 3)",
            "#endif /* BENCH_DEFS_H */",
            "");

    static final String MACROS_H = String.join("\n",
            "/* generated benchmark header: gas macros, which cpp passes through */",
            "#ifndef BENCH_MACROS_H",
            "#define BENCH_MACROS_H",
            "#include <defs.h>",
            "#ifdef CONFIG_PAGE_TABLE_ISOLATION",
            ".macro SWITCH_CR3 reg:req",
            "\tmovq %cr3, \\reg",
            "\torq $PTI_USER_PGTABLE_MASK, \\reg",
            "\tmovq \\reg, %cr3",
            ".endm",
            "#else",
            ".macro SWITCH_CR3 reg:req",
            ".endm",
            "#endif",
            "#endif /* BENCH_MACROS_H */",
            "");

    static final int PREPROCESS_BLOCKS = 2000;
    private static final int PREPROCESS_BLOCK_LINES = 11;
    private static final String PREPROCESS_PROLOGUE = "#include <macros.h>\n#include <defs.h>\n\t.text\n";

    /** Physical input lines cpp reads: the main file plus each header once (the guard skips the rest). */
    static final int PREPROCESS_INPUT_LINES = 3 + PREPROCESS_BLOCKS * PREPROCESS_BLOCK_LINES + 13 + 15;

    static SourceFile preprocessMain() {
        StringBuilder s = new StringBuilder(PREPROCESS_PROLOGUE);
        for (int i = 0; i < PREPROCESS_BLOCKS; i++) {
            s.append("/* block ").append(i).append(": switch, save, tag */\n")
                    .append("#if BLOCK_KIND(").append(i).append(") == 0\n")
                    .append("\tSWITCH_CR3 %rdi\n")
                    .append("#elif defined(CONFIG_RETPOLINE) && BLOCK_KIND(").append(i).append(") == 1\n")
                    .append("\tmovq ADJ(").append(i).append(", 2)(%rsp), %rdi\n")
                    .append("#else\n")
                    .append("\tmovq %rdi, PER_CPU_VAR(cpu_tlbstate + SLOT(").append(i % 32).append("))\n")
                    .append("#endif\n")
                    .append("\t.ascii __stringify(block ").append(i).append(")\n")
                    .append("\tmovq $(PTI_USER_PGTABLE_MASK | 0x").append(Integer.toHexString(i)).append("), %rax\n")
                    .append("\tpushq $__USER_DS\n");
        }
        return new SourceFile("bench-pp.S", s.toString());
    }

    /** {@code #include <...>} from memory: the generated headers. */
    static IncludeRoot headers() {
        Map<String, SourceFile> files = Map.of(
                "defs.h", new SourceFile("bench/defs.h", DEFS_H),
                "macros.h", new SourceFile("bench/macros.h", MACROS_H));
        return rel -> Optional.ofNullable(files.get(rel));
    }

    // ---- GNU as macros: the workload of macro/ExpansionVolumeTest

    public static final int EXPAND_CALLS = 3000;
    /** Each call expands to 8 statements; the trailing .rept adds 1000 nops. */
    public static final int EXPANDED_STATEMENTS = EXPAND_CALLS * 8 + 1000;

    public static List<SourceLine> macroSource() {
        StringBuilder src = new StringBuilder(String.join("\n",
                ".macro SAVE reg:req, base=%rsp, offset=0",
                "\tmovq %r\\reg, \\offset(\\base) ; addq $8, \\base",
                " .if \\base == %rsp",
                ".Lsaved_\\@: nop",
                " .endif",
                ".endm",
                ".macro WRAP n",
                "\tSAVE \\n, offset=\\n*8",
                ".endm\n"));
        for (int i = 0; i < EXPAND_CALLS; i++) {
            src.append("WRAP ").append(8 + i % 8).append('\n');
            src.append("\tmovq %rax, ").append(i).append("(%rbx)  # plain line\n");
            src.append("1: xorl %eax, %eax ; incl %eax\n");
        }
        src.append(".rept 1000\nnop\n.endr\n");
        return lines("bench-macro.S", src.toString());
    }

    // ---- parser: the statement shapes of parse/ParseVolumeTest (entry-code-like lines)

    public static final int PARSE_LINES = 20_000;
    private static final String[] PARSE_SHAPES = {
        "movq %rsp, %gs:cpu_tss_rw+4",
        "pushq $__USER_DS",
        "movq %cr3, %rax",
        ".Lend_%d:",
        "andq $(~0x1800), %rdi",
        "bt $63, %rax",
        "jnc .Lnoflush_%d",
        "movq 5*8(%rdx), %rax",
        "call *sys_call_table(, %rax, 8)",
        ".pushsection .altinstructions,\"a\"",
        ".long 661b - .",
        ".skip -(((6651f-6641f)-(662b-661b)) > 0) * ((6651f-6641f)-(662b-661b)),0x90",
        "661: jmp .Lend_%d",
        "lock btsq $0, (%rdi)",
        ".popsection",
        "x_%d = 1 << 12",
    };

    public static List<SourceLine> parseLines() {
        List<SourceLine> out = new ArrayList<>(PARSE_LINES);
        for (int i = 0; i < PARSE_LINES; i++) {
            String text = PARSE_SHAPES[i % PARSE_SHAPES.length].replace("%d", Integer.toString(i));
            out.add(new SourceLine(text, Origin.at(new SourcePos("bench-parse.S", i + 1, 1))));
        }
        return out;
    }

    // ---- assembler: functions with local labels, per-CPU and data references, stubs, sections

    static final int ASSEMBLE_FUNCTIONS = 1000;

    static SourceFile assembleSource() {
        StringBuilder s = new StringBuilder("\t.text\n");
        for (int i = 0; i < ASSEMBLE_FUNCTIONS; i++) {
            String prev = "func_" + Math.max(0, i - 1);
            s.append("func_").append(i).append(":\n")
                    .append("\tpushq %rbp\n")
                    .append("\tmovq %rsp, %rbp\n")
                    .append("\tmovq $(").append(i).append(" * 8 + 0x10), %rax\n")
                    .append("\tmovq table_").append(i).append("+8, %rdx\n")
                    .append("\taddq %rdx, %rax\n")
                    .append("\tbtq $63, %rax\n")
                    .append("\tjnc 1f\n")
                    .append("\tandq $(~0x1800), %rax\n")
                    .append("1:\tmovq %rax, %gs:cpu_tlbstate+16\n")
                    .append("\tcall bench_helper\n")
                    .append("\tcmpq $sym_").append(i).append(", %rax\n")
                    .append("\tjne ").append(prev).append('\n')
                    .append("\tpopq %rbp\n")
                    .append("\tret\n")
                    .append("\t.pushsection .data\n")
                    .append("table_").append(i).append(":\t.quad ").append(i).append(", func_").append(i).append('\n')
                    .append("\t.popsection\n")
                    .append("\tsym_").append(i).append(" = ").append(i).append(" << 3\n");
        }
        return new SourceFile("bench-asm.S", s.toString());
    }

    // ---- executor: a tight loop of ALU, bit-test, stack and branch instructions

    static final int EXECUTE_ITERATIONS = 1000;
    /** 4 set-up instructions, 14 per iteration (both arms of the bt branch are 2 long), and hlt. */
    static final int EXECUTE_STEPS = 4 + EXECUTE_ITERATIONS * 14 + 1;

    static SourceFile executeLoop() {
        return new SourceFile("bench-loop.S", String.join("\n",
                "\t.text",
                "\tmovq $" + EXECUTE_ITERATIONS + ", %rcx",
                "\txorl %eax, %eax",
                "\tmovq $0x5a5a, %rdx",
                "\txorl %esi, %esi",
                ".Lloop:",
                "\taddq %rcx, %rax",
                "\txorq %rax, %rdx",
                "\tbtq $3, %rax",
                "\tjnc 2f",
                "\tbtrq $3, %rdx",
                "\tjmp 3f",
                "2:\tbtsq $5, %rdx",
                "\tnotq %r8",
                "3:\tpushq %rdx",
                "\tandq $0xff, %rdx",
                "\tpopq %rbx",
                "\torq %rbx, %rsi",
                "\tshlq $1, %rsi",
                "\tcmpq %rsi, %rdx",
                "\tsubq $1, %rcx",
                "\tjnz .Lloop",
                "\thlt",
                ""));
    }

    // ---- NMI sweep: a CR3-switching kernel sequence and an NMI handler on IST2 (pti machine)

    /** Steps of the main path without an NMI (the sweep injects before each of them). */
    static final int SWEEP_MAIN_STEPS = 15;
    /** Steps of the handler, iretq included. */
    static final int SWEEP_HANDLER_STEPS = 13;

    static SourceFile nmiSweepProgram() {
        return new SourceFile("bench-nmi.S", String.join("\n",
                "\t.text",
                "entry:",
                "\tpushq %rdi",
                "\tpushq %rax",
                "\tmovq %cr3, %rdi",
                "\tmovq %rdi, %rax",
                "\tbtsq $63, %rdi",
                "\tmovq %rdi, %cr3",
                "\tincq %gs:bench_counter",
                "\tmovq %rax, %rdi",
                "\taddq $8, %rdi",
                "\tbtq $12, %rax",
                "\tjc 1f",
                "\tmovq %rax, %gs:bench_saved_cr3",
                "1:\tpopq %rax",
                "\tpopq %rdi",
                "\thlt",
                "nmi_handler:",
                "\tpushq %rax",
                "\tpushq %rcx",
                "\tmovq %cr3, %rax",
                "\tmovq %rax, %rcx",
                "\tandq $(~0x1000), %rcx",
                "\tbtsq $63, %rcx",
                "\tmovq %rcx, %cr3",
                "\tincq %gs:bench_nmi_count",
                "\tbtsq $63, %rax",
                "\tmovq %rax, %cr3",
                "\tpopq %rcx",
                "\tpopq %rax",
                "\tiretq",
                ""));
    }

    // ---- per-state sweep: a 27-instruction CR3-switching snippet (pti machine), one state per run

    /** Instructions the snippet executes per state, hlt included (both arms of its branch are 2 long). */
    static final int CR3_SNIPPET_STEPS = 27;

    /**
     * Saves registers, switches to a kernel CR3 with another PCID (no-flush), updates per-CPU
     * variables with the state's input (%rdx), takes one of two arms on its low bit, switches back
     * and restores: the shape of an entry stub's CR3 dance.
     */
    static SourceFile cr3Snippet() {
        return new SourceFile("bench-cr3.S", String.join("\n",
                "\t.text",
                "cr3_entry:",
                "\tpushq %rdi",
                "\tpushq %rax",
                "\tpushq %rcx",
                "\tmovq %cr3, %rdi",
                "\tmovq %rdi, %rax",
                "\tandq $(~0x1fff), %rdi",
                "\torq $5, %rdi",
                "\tbtsq $63, %rdi",
                "\tmovq %rdi, %cr3",
                "\tmovq %gs:bench_saved_cr3, %rcx",
                "\taddq %rdx, %rcx",
                "\tmovq %rcx, %gs:bench_saved_cr3",
                "\tincq %gs:bench_counter",
                "\tbtq $0, %rdx",
                "\tjc 1f",
                "\torq $0x800, %rcx",
                "\tjmp 2f",
                "1:\tandq $0xfff, %rcx",
                "\tnotq %rcx",
                "2:\tbtsq $63, %rax",
                "\tmovq %rax, %cr3",
                "\txorq %rcx, %rdx",
                "\tadcq $0, %rdx",
                "\tleaq 8(%rdx,%rcx,2), %rdx",
                "\tcmpq %rcx, %rdx",
                "\tpopq %rcx",
                "\tpopq %rax",
                "\tpopq %rdi",
                "\thlt",
                ""));
    }

    // ---- the CLI's path: loops run by the Machine session, as `entrysim run` builds it

    static final int DEC_LOOP_ITERATIONS = 10_000;
    /** mov, then dec/jnz per iteration, and hlt. */
    static final int DEC_LOOP_STEPS = 1 + DEC_LOOP_ITERATIONS * 2 + 1;

    static SourceFile decLoop() {
        return new SourceFile("bench-dec.S", String.join("\n",
                "\t.text",
                "\tmovl $" + DEC_LOOP_ITERATIONS + ", %ecx",
                "1:\tdecq %rcx",
                "\tjnz 1b",
                "\thlt",
                ""));
    }

    static final int BIT_LOOP_ITERATIONS = 2_000;
    /** 3 set-up instructions, 9 per iteration, and hlt. */
    static final int BIT_LOOP_STEPS = 3 + BIT_LOOP_ITERATIONS * 9 + 1;

    /** bt/adc/btr/push/pop, the bit-twiddling and stack traffic of entry code. */
    static SourceFile bitLoop() {
        return new SourceFile("bench-bits.S", String.join("\n",
                "\t.text",
                "\tmovl $" + BIT_LOOP_ITERATIONS + ", %ecx",
                "\tmovq $0x1234, %rax",
                "\txorl %edx, %edx",
                "1:\tbtq $2, %rax",
                "\tadcq %rcx, %rdx",
                "\tbtrq $4, %rdx",
                "\tpushq %rdx",
                "\taddq %rdx, %rax",
                "\tpopq %rbx",
                "\txorq %rbx, %rax",
                "\tdecq %rcx",
                "\tjnz 1b",
                "\thlt",
                ""));
    }

    static List<SourceLine> lines(String file, String text) {
        List<SourceLine> out = new ArrayList<>();
        String[] split = text.split("\n", -1);
        for (int i = 0; i < split.length; i++) {
            out.add(new SourceLine(split[i], Origin.at(new SourcePos(file, i + 1, 1))));
        }
        return out;
    }
}
