package io.entrysim.debug;

import io.entrysim.kernel.CpuFeatures;
import io.entrysim.kernel.MachineLayout;
import io.entrysim.session.Build;
import io.entrysim.session.BuildOptions;
import io.entrysim.session.Machine;
import io.entrysim.session.RunSpec;
import io.entrysim.session.Toolchain;
import io.entrysim.source.SourceFile;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Small programs the debugger tests run, and a comparison of two machines' whole state. */
final class DebugPrograms {
    private DebugPrograms() {}

    /**
     * A CR3-switching macro expanded twice at the top level and once inside another macro, a
     * call, and an NMI handler. Steps: 0-1 lines 12-13, 2-4 the first expansion (body lines
     * 2-4), 5 nop, 6 cr3 back, 7-9 the second expansion, 10 call, 11-12 helper, 13-15 the
     * expansion inside outer, 16 outer's nop, 17 hlt.
     */
    static final String CR3 = String.join("\n",
            ".macro to_user_cr3 tmp:req",      // 1
            "\tmovq\t%cr3, \\tmp",             // 2
            "\torq\t$0x1000, \\tmp",           // 3
            "\tmovq\t\\tmp, %cr3",             // 4
            ".endm",                            // 5
            ".macro outer",                     // 6
            "\tto_user_cr3 %rdx",              // 7
            "\tnop",                            // 8
            ".endm",                            // 9
            "\t.text",                          // 10
            "start:",                           // 11
            "\tmovq\t$0x1c0a000, %rax",        // 12
            "\tmovq\t%rax, %cr3",              // 13
            "\tto_user_cr3 %rdi",              // 14
            "\tnop",                            // 15
            "\tmovq\t%rax, %cr3",              // 16
            "\tto_user_cr3 %rsi",              // 17
            "\tcall\thelper",                  // 18
            "\touter",                          // 19
            "\thlt",                            // 20
            "helper:",                          // 21
            "\tmovq\t$5, %rbx",                // 22
            "\tret",                            // 23
            "nmi_handler:",                     // 24
            "\tmovq\t$7, %r12",                // 25
            "\tiretq",                          // 26
            "");

    /**
     * A loop of 3000 rounds (more than two snapshot intervals) with a macro, stack traffic and CR3
     * writes, and an NMI handler that counts in %r15.
     */
    static final String LOOP = String.join("\n",
            ".macro bump reg:req",              // 1
            "\taddq\t$0x1000, \\reg",          // 2
            "\tmovq\t\\reg, %cr3",             // 3
            ".endm",                            // 4
            "\t.text",                          // 5
            "start:",                           // 6
            "\tmovq\t$0x1c0a000, %rax",        // 7
            "\txorq\t%rcx, %rcx",              // 8
            "1:\tbump %rax",                   // 9
            "\tpushq\t%rax",                   // 10
            "\tpopq\t%rbx",                    // 11
            "\tandq\t$0xffffff, %rax",         // 12
            "\tincq\t%rcx",                    // 13
            "\tcmpq\t$3000, %rcx",             // 14
            "\tjne\t1b",                       // 15
            "\thlt",                            // 16
            "nmi_handler:",                     // 17
            "\tincq\t%r15",                    // 18
            "\tiretq",                          // 19
            "");

    static Build build(String text) {
        return Toolchain.build(new SourceFile("t.S", text), BuildOptions.defaults());
    }

    static Build buildPti(String text) {
        return Toolchain.build(new SourceFile("t.S", text), new BuildOptions(List.of(), Map.of(), Set.of(),
                CpuFeatures.parse(List.of("PTI")), Map.of(), true, true, MachineLayout.pti()));
    }

    /** The CR3 program with its NMI gate (vector 2 -> nmi_handler on the current stack). */
    static Debugger cr3() {
        Build b = build(CR3);
        return new Debugger(Machine.create(b, RunSpec.defaults().withIdt(List.of(new MachineLayout.IdtEntry(2, "nmi_handler", 0)))));
    }

    /** A fresh machine for the same build and spec, run {@code steps} instructions. */
    static Machine freshRun(Machine like, long steps) {
        Machine m = Machine.create(like.build(), like.spec());
        for (long i = 0; i < steps && !m.finished(); i++) {
            m.step();
        }
        return m;
    }

    /** Empty when the two machines are in the same state, else what differs. */
    static String difference(Machine a, Machine b) {
        return MachineComparison.difference(a, b);
    }
}
