package io.entrysim.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code entrysim debug} on a real pseudo-terminal: tmux runs it, {@code send-keys} types and
 * {@code capture-pane} reads the screen. Covers the prompt, a macro breakpoint, tab completion,
 * history (Up), a watchpoint, reverse-stepi and Ctrl-C stopping a {@code continue}. Skipped, visibly,
 * where tmux is not installed.
 */
class DebugTerminalTest {
    /** How long one expected text may take to appear (JVM start included). */
    static final long WAIT_MS = 30_000;

    private String socket;
    private Path home;

    @BeforeEach
    void tmux(@TempDir Path dir) {
        Assumptions.assumeTrue(onPath("tmux"), "tmux is not installed: the pseudo-terminal test is skipped");
        // one tmux server per test: a previous test's server may still be shutting down under this name
        socket = "entrysim-debug-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        home = dir;
    }

    @AfterEach
    void stopTmux() throws Exception {
        if (socket != null) {
            tmuxCommand("kill-server");
        }
    }

    @Test
    void breakpointCompletionHistoryWatchAndReverseAtARealPrompt() throws Exception {
        start("asm-samples/switch-to-user.S", "--feature", "PTI,PCID", "--mem",
                "%gs:cpu_tlbstate+TLB_STATE_user_pcid_flush_mask=0x2:2");
        waitFor("(entrysim)");
        type("b macro to_user_cr3");
        waitFor("Breakpoint 1 at macro to_user_cr3 (1 expansion)");
        type("c");
        waitFor("Breakpoint 1, exit_to_user () at asm-samples/switch-to-user.S:41");
        keys("info reg", "Tab");
        waitFor("info registers");
        keys("rdi", "Enter");
        waitFor("rdi            0x");
        type("watch $cr3");
        type("c");
        waitFor("New value = 0x1c0b801");
        type("reverse-stepi");
        type("p/x $cr3");
        waitFor("$1 = 0x1c0a001");
        keys("Up", "Enter");
        waitFor("$2 = 0x1c0a001");
        type("quit");
    }

    /**
     * The v4.15 tree's own SYSCALL round trip ({@code --scenario syscall}): a breakpoint on a
     * macro stops at its invocation, next steps over the whole expansion, watch CR3 stops at the
     * exit's write, reverse-stepi goes back across it to the old CR3 exactly, and an NMI is
     * delivered in the middle of the exit's macros.
     */
    @Test
    void theV415SyscallRoundTripAtARealPrompt() throws Exception {
        Path tree = Path.of("../shared/corpus/kernel/trees/v4.15").toAbsolutePath();
        Assumptions.assumeTrue(Files.isDirectory(tree), tree + " is absent: skipped");
        start("--kernel-tree", tree.toString(), "--scenario", "syscall", "--feature", "PTI,PCID");
        waitFor("(entrysim)");
        type("break macro SWITCH_TO_KERNEL_CR3");
        waitFor("Breakpoint 1 at macro SWITCH_TO_KERNEL_CR3");
        type("c");
        waitFor("Breakpoint 1, entry_SYSCALL_64_trampoline ()");
        type("bt");
        waitFor("#1  SWITCH_TO_KERNEL_CR3 ()");
        type("next");
        waitFor("entry_SYSCALL_64_trampoline () at " + tree + "/arch/x86/entry/entry_64.S:177");
        type("p/x $cr3");
        waitFor("$1 = 0x1c0a001");
        type("watch $cr3");
        type("c");
        waitFor("New value = 0x1c0b801");
        type("reverse-stepi");
        type("p/x $cr3");
        waitFor("$2 = 0x1c0a001");
        type("nmi");
        type("stepi");
        waitFor("nmi ()");
        type("quit");
    }

    @Test
    void ctrlCStopsARunningContinue(@TempDir Path dir) throws Exception {
        Path loop = dir.resolve("loop.S");
        Files.writeString(loop, "\t.text\nstart:\n\tincq\t%rcx\n\tjmp\tstart\n");
        start(loop.toString(), "--max-steps", "1000000000000");
        waitFor("(entrysim)");
        type("c");
        Thread.sleep(1500);
        keys("C-c");
        waitFor("Program received signal SIGINT, Interrupt.");
        type("p $rcx > 1000");
        waitFor("$1 = 1");
        type("quit");
    }

    // ---- tmux

    private void start(String... args) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=" + home, "-cp", cp, "io.entrysim.cli.Main", "debug"));
        cmd.addAll(List.of(args));
        StringBuilder shell = new StringBuilder();
        for (String c : cmd) {
            shell.append('\'').append(c.replace("'", "'\\''")).append("' ");
        }
        tmuxCommand("new-session", "-d", "-s", "dbg", "-x", "160", "-y", "60", shell.toString());
    }

    private void type(String line) throws Exception {
        keys(line, "Enter");
    }

    private void keys(String... keys) throws Exception {
        for (String k : keys) {
            boolean named = k.equals("Enter") || k.equals("Tab") || k.equals("Up") || k.startsWith("C-");
            List<String> a = new ArrayList<>(List.of("send-keys", "-t", "dbg"));
            if (!named) {
                a.add("-l");
            }
            a.add(k);
            tmuxCommand(a.toArray(String[]::new));
        }
    }

    private void waitFor(String text) throws Exception {
        long end = System.currentTimeMillis() + WAIT_MS;
        String screen = "";
        while (System.currentTimeMillis() < end) {
            screen = tmuxCommand("capture-pane", "-p", "-t", "dbg", "-S", "-300");
            if (screen.contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        assertTrue(false, "never saw `" + text + "' on the terminal:\n" + screen);
    }

    private String tmuxCommand(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroy();
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
