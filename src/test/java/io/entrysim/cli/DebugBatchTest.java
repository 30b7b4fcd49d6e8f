package io.entrysim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code entrysim debug --batch} and {@code -x}: gdb's commands from standard input or a file,
 * on the switch-to-user sample (to_user_cr3 under PTI,PCID with a flush pending for PCID 1).
 * Golden-ish: the lines that carry meaning are compared exactly, the rest may change.
 */
class DebugBatchTest {
    static final String SAMPLE = "asm-samples/switch-to-user.S";
    static final String[] OPTIONS = {"--feature", "PTI,PCID", "--mem", "%gs:cpu_tlbstate+TLB_STATE_user_pcid_flush_mask=0x2:2"};

    record Result(int status, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    static Result debug(String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of("debug", SAMPLE));
        all.addAll(List.of(OPTIONS));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.execute(all.toArray(String[]::new), new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(status, out.toString(), err.toString());
    }

    @Test
    void aBreakpointInTheMacroBodyThenStepsAndTheBacktraceOfMacroFrames() {
        Result r = debug(String.join("\n", "break switch-to-user.S:24", "continue", "bt", "next", "next", "p/x $rdi", "info frame", ""),
                "--batch");
        assertEquals(0, r.status(), r.err());
        List<String> l = r.lines();
        assertTrue(l.contains("Breakpoint 1 at 0xffffffff81100007: file asm-samples/switch-to-user.S, line 24."), r.out());
        assertTrue(l.contains("Breakpoint 1, to_user_cr3 () at asm-samples/switch-to-user.S:24"), r.out());
        assertTrue(l.contains("24\t\tandq\t$0x7ff, \\tmp\t\t/* the kernel PCID indexes the pending-flush mask */"), r.out());
        assertTrue(l.contains("=> 0xffffffff81100007 <exit_to_user+7>:\tandq $0x7ff,%rdi"), r.out());
        int bt = l.indexOf("#0  to_user_cr3 () at asm-samples/switch-to-user.S:24");
        assertTrue(bt > 0, r.out());
        assertEquals("#1  exit_to_user () at asm-samples/switch-to-user.S:41", l.get(bt + 1));
        assertTrue(l.contains("26\t\tmovq\t\\keep, \\tmp"), "next stays in the macro body: " + r.out());
        assertTrue(l.contains("$1 = 0x1"), "the kernel PCID, masked: " + r.out());
        assertTrue(l.contains("Stack level 0, in the expansion of macro to_user_cr3:"), r.out());
    }

    @Test
    void watchCr3ThenReverseStepiPutsTheOldCr3Back() {
        Result r = debug(String.join("\n", "watch $cr3", "c", "p/x $cr3", "reverse-stepi", "p/x $cr3", "info cr",
                "reverse-continue", "c", "c", ""), "--batch");
        assertEquals(0, r.status(), r.err());
        List<String> l = r.lines();
        assertTrue(l.contains("Hardware watchpoint 1: $cr3"), r.out());
        assertTrue(l.contains("Old value = 0x1c0a001"), r.out());
        assertTrue(l.contains("New value = 0x1c0b801"), r.out());
        assertTrue(l.contains("$1 = 0x1c0b801"), r.out());
        assertTrue(l.contains("$2 = 0x1c0a001"), "reverse-stepi undid the CR3 write: " + r.out());
        assertTrue(l.contains("               PCID: 0x1 (kernel)"), r.out());
        assertTrue(l.contains("No more reverse-execution history."), "no CR3 change before the write: " + r.out());
        assertTrue(l.contains("[Program stopped: hlt]"), r.out());
        assertTrue(l.contains("stop: hlt"), r.out());
    }

    @Test
    void scriptsRunFirstAndAFailingLastCommandFailsTheBatch(@TempDir Path dir) throws IOException {
        Path script = dir.resolve("cmds");
        Files.writeString(script, "break macro to_user_cr3\nrun\n");
        Result r = debug("nosuchcommand\n", "-x", script.toString(), "--batch");
        assertEquals(1, r.status());
        assertTrue(r.out().contains("Breakpoint 1, exit_to_user () at asm-samples/switch-to-user.S:41"), "a macro breakpoint shows the invocation line: " + r.out());
        assertTrue(r.out().contains("Undefined command: \"nosuchcommand\".  Try \"help\"."), r.out());
        assertFalse(r.out().contains("Exception") || r.err().contains("Exception"), r.out() + r.err());
    }

    @Test
    void badInputIsAnErrorLineNeverAStackTrace(@TempDir Path dir) {
        Result r = debug("p $nosuchreg\nx/8zz 0\nx/99999999gx 0\nbreak nosuchlabel\nlist\nframe 9\nwatch (\ninfo nothing\nirq 300\n", "--batch");
        assertEquals(1, r.status());
        assertTrue(r.out().contains("no register `$nosuchreg'"), r.out());
        assertTrue(r.out().contains("Invalid format letter `z'"), r.out());
        assertTrue(r.out().contains("Function \"nosuchlabel\" not defined."), r.out());
        assertTrue(r.out().contains("x: at most 65536 units at a time, not 99999999"), r.out());
        assertTrue(r.out().contains("vector must be 0..255, not 300"), r.out());
        assertTrue(r.out().contains("Initial frame selected; you cannot go up."), r.out());
        assertFalse((r.out() + r.err()).contains("\tat io.entrysim"), r.out() + r.err());
        Result missing = debug("", "-x", dir.resolve("nope").toString(), "--batch");
        assertEquals(1, missing.status());
        assertTrue(missing.err().contains("-x " + dir.resolve("nope") + ": No such file"), missing.err());
    }

    @Test
    void nmiAndFinishFromTheMacroAndPrintingMemory() {
        Result r = debug(String.join("\n", "tbreak switch-to-user.S:24", "c", "finish", "x/2hx %gs:cpu_tlbstate+TLB_STATE_user_pcid_flush_mask",
                "info tlb", "info macro to_user_cr3", "display/x $rdi", "stepi", ""), "--batch");
        assertEquals(0, r.status(), r.err());
        List<String> l = r.lines();
        assertTrue(l.contains("Run till exit from #0  to_user_cr3 () at asm-samples/switch-to-user.S:24"), r.out());
        assertTrue(l.contains("42\t\tpopq\t%rax"), r.out());
        assertTrue(r.out().contains(":\t0x0000\t0x0000"), "btr cleared the pending flush: " + r.out());
        assertTrue(l.contains("0x801  fresh  <- active"), r.out());
        assertTrue(l.contains("gas macro to_user_cr3: 1 expansion that emit code"), r.out());
        assertTrue(l.contains("1: /x $rdi = 0x1c0b801"), r.out());
    }

    @Test
    void aLostFlushAtTheExitIsReportedAsRunReportsIt() {
        StringWriter out = new StringWriter();
        int status = Main.execute(new String[] {"debug", "asm-samples/lost-flush.S", "--machine", "pti", "--feature", "PTI,PCID",
            "--invalidate", "user-pcid=1", "--exit-to-user", "--batch"}, new ByteArrayInputStream("c\n".getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
        assertEquals(0, status);
        List<String> l = out.toString().lines().toList();
        assertTrue(l.contains("[Program stopped: hlt]"), out.toString());
        assertTrue(l.stream().anyMatch(x -> x.startsWith("asm-samples/lost-flush.S:18:2: warning: lost-flush: returning to user mode with PCID 0x801")),
                out.toString());
        assertTrue(l.stream().anyMatch(x -> x.startsWith("violation: lost-flush at asm-samples/lost-flush.S:18: ")), out.toString());
    }

    @Test
    void abbreviationsFramesBreakpointBookkeepingAndReverseCommands() {
        Result r = debug(String.join("\n",
                "b switch-to-user.S:24", "tb 33", "i b", "disable 1", "c", "enable 1", "condition 1 ($rdi & 0xfff) == 1", "r",
                "up", "down", "frame 1", "list switch-to-user.S:41", "display $rdi", "undisplay 1", "si", "ni", "rn", "rs",
                "reverse-finish", "rc", "delete", "rc", "info percpu", "help", "ste", "s", ""), "--batch");
        assertEquals(0, r.status(), r.out());
        List<String> l = r.lines();
        assertTrue(l.contains("Temporary breakpoint 2 at 0xffffffff81100030: file asm-samples/switch-to-user.S, line 33."), r.out());
        assertTrue(l.contains("1       breakpoint     keep y   switch-to-user.S:24"), r.out());
        assertTrue(l.contains("2       breakpoint     del  y   33"), r.out());
        assertTrue(l.contains("Temporary breakpoint 2, to_user_cr3 () at asm-samples/switch-to-user.S:33"),
                "breakpoint 1 was disabled: " + r.out());
        assertTrue(l.contains("Breakpoint 1, to_user_cr3 () at asm-samples/switch-to-user.S:24"), "run with the condition: " + r.out());
        assertTrue(l.contains("#1  exit_to_user () at asm-samples/switch-to-user.S:41"), r.out());
        assertTrue(l.contains("#0  to_user_cr3 () at asm-samples/switch-to-user.S:24"), r.out());
        assertTrue(l.stream().anyMatch(x -> x.startsWith("=> 41\t\tto_user_cr3 tmp=%rdi keep=%rax")), "list marks frame 1's line: " + r.out());
        assertTrue(l.contains("1: $rdi = 29401089"), "the CR3 it read, 0x1c0a001: " + r.out());
        assertTrue(l.contains("Run back to call of #0  to_user_cr3 () at asm-samples/switch-to-user.S:24"), r.out());
        assertTrue(l.contains("   (expands to frame 0 at asm-samples/switch-to-user.S:21: movq %cr3,%rdi)"),
                "reverse-finish stops where the expansion began, shown at its invocation line: " + r.out());
        assertTrue(l.contains("No more reverse-execution history."), r.out());
        assertTrue(l.stream().anyMatch(x -> x.startsWith("  cpu_tlbstate ")), r.out());
        assertTrue(l.stream().anyMatch(x -> x.startsWith("Execution:")), r.out());
        assertTrue(l.contains("Ambiguous command \"ste\": step, stepi."), r.out());
    }

    @Test
    void watchingPerCpuMemoryAndATypedPointer() {
        Result r = debug(String.join("\n", "p/x {short}(%gs:cpu_tlbstate+TLB_STATE_user_pcid_flush_mask)",
                "watch %gs:cpu_tlbstate+TLB_STATE_user_pcid_flush_mask", "watch $rsp", "c", "c",
                "p/x *(short*)(%gs:cpu_tlbstate+TLB_STATE_user_pcid_flush_mask)", ""), "--batch");
        assertEquals(0, r.status(), r.out());
        String out = r.out();
        assertTrue(out.contains("$1 = 0x2"), out);
        int push = out.indexOf("Hardware watchpoint 2: $rsp\n\nOld value = 0xffffc90000004000\nNew value = 0xffffc90000003ff8");
        int btr = out.indexOf("Hardware watchpoint 1: %gs:cpu_tlbstate+TLB_STATE_user_pcid_flush_mask\n\nOld value = 0x2\nNew value = 0x0");
        assertTrue(push > 0, "the push moved the stack pointer: " + out);
        assertTrue(btr > push, "then btr consumed the pending flush: " + out);
        assertTrue(out.contains("$2 = 0x0"), "read through a typed pointer after the btr: " + out);
    }
}
