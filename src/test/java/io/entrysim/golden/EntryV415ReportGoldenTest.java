package io.entrysim.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.entrysim.cli.JsonReport;
import io.entrysim.cli.TextReport;
import io.entrysim.cpu.Cpu;
import io.entrysim.session.Build;
import io.entrysim.session.RunOutcome;
import io.entrysim.session.Machine;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The v4.15 entry scenarios' {@code run} reports (text and JSON) pinned byte for byte, so the
 * engine can be restructured under them: SYSCALL round trips, an IRQ's IRET exit, NMIs from
 * user mode and in the exit window. Rewrite with {@code -Dgolden.update=true}.
 */
class EntryV415ReportGoldenTest {
    static final Path DIR = Path.of("src/test/resources/run-golden/entry-v4.15");

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "syscall-pti-pcid, user_syscall, PTI PCID, ''",
        "syscall-pti, user_syscall, PTI, ''",
        "syscall-nopti, user_syscall, '', ''",
        "irq-pti-pcid, user_work, PTI PCID, irq:3",
        "nmi-user-pti-pcid, user_syscall, PTI PCID, nmi:1",
        "nmi-exit-window-pti-pcid, user_syscall, PTI PCID, nmi:74",
    })
    void report(String name, String entry, String features, String event) throws IOException {
        Build b = EntryV415.build(features.isBlank() ? new String[0] : features.split(" "));
        Machine m = EntryV415.userMachine(b, entry, cpu -> {
            if (event.startsWith("irq:")) {
                cpu.events().requestInterrupt(0x20);
            }
        });
        if (event.startsWith("nmi:")) {
            m.injectNmiAt(Long.parseLong(event.substring(4)));
        }
        RunOutcome outcome = m.run();
        Cpu cpu = m.cpu();
        StringWriter text = new StringWriter();
        PrintWriter pw = new PrintWriter(text);
        TextReport.render(pw, b, cpu, outcome, List.of());
        pw.flush();
        String actual = text + "--- json\n" + JsonReport.render(b, cpu, outcome, List.of()) + "\n";
        actual = actual.replace(EntryV415.sourceDir().toString(), "<entry-v4.15>");
        Path golden = DIR.resolve(name + ".golden");
        if (Boolean.getBoolean("golden.update") || !Files.exists(golden)) {
            Files.createDirectories(DIR);
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
            Assumptions.assumeTrue(Boolean.getBoolean("golden.update"), golden + " was missing: written, review it");
        }
        assertEquals(Files.readString(golden, StandardCharsets.UTF_8), actual, "golden " + golden);
    }
}
