package io.entrysim.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.debug.Debugger;
import io.entrysim.golden.EntryV415Machines;
import io.entrysim.session.Machine;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * gdb's commands (the interpreter {@code entrysim debug} runs) on v4.15's SYSCALL round trip with
 * PTI and PCID: a calling.h body line hit in both CR3 switches with the macro chain as the
 * backtrace, next over SWITCH_TO_USER_CR3_STACK, watch $cr3 with reverse-step, an NMI delivered
 * inside the macro and finished back into it. Skipped when the corpus is absent.
 */
class DebugV415CommandsTest {
    private final StringWriter text = new StringWriter();
    private GdbCommands gdb;

    private String run(String... lines) {
        if (gdb == null) {
            Machine m = EntryV415Machines.user("user_syscall", "PTI", "PCID");
            gdb = new GdbCommands(new Debugger(m), m.build(), "entry-test.S", new PrintWriter(text, true));
        }
        text.getBuffer().setLength(0);
        for (String l : lines) {
            assertTrue(gdb.execute(l), l + " failed:\n" + text);
        }
        return text.toString();
    }

    @Test
    void aBodyLineInBothCr3SwitchesWithTheMacroChain() {
        String out = run("break calling.h:208", "continue", "bt");
        assertTrue(out.contains(" locations)"), "every expansion of SET_NOFLUSH_BIT: " + out);
        assertTrue(out.contains("Breakpoint 1, SET_NOFLUSH_BIT () at "), out);
        assertTrue(out.matches("(?s).*#0  SET_NOFLUSH_BIT \\(\\) at \\S*calling.h:208\n#1  ALTERNATIVE \\(\\) at \\S*alternative-asm.h:10\n"
                + "#2  ADJUST_KERNEL_CR3 \\(\\) at \\S*calling.h:212\n#3  SWITCH_TO_KERNEL_CR3 \\(\\) at \\S*calling.h:220\n"
                + "#4  entry_SYSCALL_64_trampoline \\(\\) at \\S*entry_64.S:174\n.*"), out);
        out = run("continue", "bt");
        assertTrue(out.matches("(?s).*#0  SET_NOFLUSH_BIT \\(\\) at \\S*calling.h:208\n#1  SWITCH_TO_USER_CR3_NOSTACK \\(\\) at \\S*calling.h:249\n"
                + "#2  SWITCH_TO_USER_CR3_STACK \\(\\) at \\S*calling.h:264\n#3  \\S+ \\(\\) at \\S*entry_64.S:420\n.*"), out);
    }

    @Test
    void nextOverTheExitSwitchThenWatchAndReverseStep() {
        String out = run("tbreak entry_64.S:420", "continue", "p/x $cr3", "next", "p/x $cr3");
        assertTrue(out.contains("$1 = 0x1c0a001"), "the kernel CR3 (PCID 1): " + out);
        assertTrue(out.contains("$2 = 0x1c0b801"), "the user CR3 after one next: " + out);
        assertTrue(out.contains("\n422\t"), out);
        out = run("start", "watch $cr3", "continue", "continue", "reverse-step", "p/x $cr3", "info frame");
        assertTrue(out.contains("Old value = 0x1c0a001\nNew value = 0x1c0b801"), out);
        assertTrue(out.contains("$3 = 0x1c0a001"), "reverse-step put the kernel CR3 back: " + out);
        assertTrue(out.contains("Stack level 0, in the expansion of macro SWITCH_TO_USER_CR3_NOSTACK:"), out);
    }

    @Test
    void anNmiInsideTheMacroAndFinishBackIntoIt() {
        String out = run("tbreak calling.h:239", "continue", "nmi", "stepi", "bt", "finish", "p/x $cr3", "bt");
        assertTrue(out.contains("NMI raised before step 65"), out);
        assertTrue(out.contains("Run till exit from #0  "), out);
        assertTrue(out.contains("$1 = 0x1c0a001"), out);
        int last = out.lastIndexOf("#0  SWITCH_TO_USER_CR3_NOSTACK () at ");
        assertTrue(last > 0 && out.substring(last).contains("calling.h:239"), "back before the interrupted bt: " + out);
    }
}
