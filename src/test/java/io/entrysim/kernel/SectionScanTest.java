package io.entrysim.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.entrysim.assemble.AssemblerConfig;
import io.entrysim.session.Build;
import io.entrysim.session.BuildOptions;
import io.entrysim.session.Toolchain;
import io.entrysim.source.SourceFile;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scan replays the assembler's section placement (and is cross-checked against the code). */
class SectionScanTest {
    @Test
    void sectionsInOrderOfFirstUse() {
        Build b = Toolchain.build(new SourceFile("t.S", """
            .section .rodata
            table: .quad 1
            .pushsection .data..percpu, "aw"
            var: .quad 0
            .popsection
            .section .entry.text, "ax"
            entry: nop
            .text
            text: nop
            .pushsection .irqentry.text
            irq: nop ; nop
            .popsection
            .data
            .quad 2
            """), BuildOptions.defaults());
        List<SectionExtent> s = SectionScan.scan(b.statements(), AssemblerConfig.defaults(null), b.program());
        assertEquals(List.of(
            new SectionExtent(".text", 0xffffffff81000000L, 0x100000, true),
            new SectionExtent(".rodata", 0xffffffff82000000L, 0x100000, false),
            new SectionExtent(".entry.text", 0xffffffff81100000L, 0x100000, true),
            new SectionExtent(".irqentry.text", 0xffffffff81200000L, 0x100000, true),
            new SectionExtent(".data", 0xffffffff82100000L, 0x100000, false)), s);
        assertEquals(0xffffffff82000000L, b.program().symbols().get("table"));
        assertEquals(0xffffffff81100000L, b.program().symbols().get("entry"));
        assertEquals(0xffffffff81200000L, b.program().symbols().get("irq"));
        assertEquals(0L, b.program().symbols().get("var"));
    }
}
