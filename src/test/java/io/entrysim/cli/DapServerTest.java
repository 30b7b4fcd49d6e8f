package io.entrysim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.debug.Capabilities;
import org.eclipse.lsp4j.debug.ConfigurationDoneArguments;
import org.eclipse.lsp4j.debug.ContinueArguments;
import org.eclipse.lsp4j.debug.DataBreakpoint;
import org.eclipse.lsp4j.debug.DisassembleArguments;
import org.eclipse.lsp4j.debug.DisassembleResponse;
import org.eclipse.lsp4j.debug.EvaluateArguments;
import org.eclipse.lsp4j.debug.InitializeRequestArguments;
import org.eclipse.lsp4j.debug.NextArguments;
import org.eclipse.lsp4j.debug.OutputEventArguments;
import org.eclipse.lsp4j.debug.ReverseContinueArguments;
import org.eclipse.lsp4j.debug.ScopesArguments;
import org.eclipse.lsp4j.debug.SetBreakpointsArguments;
import org.eclipse.lsp4j.debug.SetBreakpointsResponse;
import org.eclipse.lsp4j.debug.SetDataBreakpointsArguments;
import org.eclipse.lsp4j.debug.SetExceptionBreakpointsArguments;
import org.eclipse.lsp4j.debug.Source;
import org.eclipse.lsp4j.debug.SourceBreakpoint;
import org.eclipse.lsp4j.debug.StackFrame;
import org.eclipse.lsp4j.debug.StackTraceArguments;
import org.eclipse.lsp4j.debug.StepBackArguments;
import org.eclipse.lsp4j.debug.StepInArguments;
import org.eclipse.lsp4j.debug.StepOutArguments;
import org.eclipse.lsp4j.debug.StoppedEventArguments;
import org.eclipse.lsp4j.debug.Variable;
import org.eclipse.lsp4j.debug.VariablesArguments;
import org.eclipse.lsp4j.debug.launch.DSPLauncher;
import org.eclipse.lsp4j.debug.services.IDebugProtocolClient;
import org.eclipse.lsp4j.debug.services.IDebugProtocolServer;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code entrysim dap} driven by a real DAP client (LSP4J's client side) over piped streams,
 * on the switch-to-user sample: launch with run's options, a breakpoint in the macro body, the
 * macro frames as the stack, scopes and variables, evaluate, a data breakpoint on CR3, step
 * back across the write, next/stepIn/stepOut, reverse continue, exception filters, disassemble.
 */
class DapServerTest {
    static final long TIMEOUT_S = 20;
    static final String SAMPLE = Path.of("asm-samples/switch-to-user.S").toAbsolutePath().toString();

    private final BlockingQueue<StoppedEventArguments> stops = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> output = new LinkedBlockingQueue<>();
    private IDebugProtocolServer server;
    private Thread serverThread;
    private PipedOutputStream toServer;
    private boolean initialized;

    @BeforeEach
    void connect() throws Exception {
        PipedInputStream serverIn = new PipedInputStream(1 << 16);
        toServer = new PipedOutputStream(serverIn);
        PipedInputStream clientIn = new PipedInputStream(1 << 16);
        PipedOutputStream toClient = new PipedOutputStream(clientIn);
        serverThread = new Thread(() -> {
            try {
                DapCommand.serve(serverIn, toClient);
            } catch (Exception e) {
                // the client closed the pipe: the session is over
            }
        }, "dap-server");
        serverThread.setDaemon(true);
        serverThread.start();
        IDebugProtocolClient client = new IDebugProtocolClient() {
            @Override
            public void initialized() {
                initialized = true;
            }

            @Override
            public void stopped(StoppedEventArguments args) {
                stops.add(args);
            }

            @Override
            public void output(OutputEventArguments args) {
                output.add(args.getOutput());
            }
        };
        Launcher<IDebugProtocolServer> launcher = DSPLauncher.createClientLauncher(client, clientIn, toServer);
        launcher.startListening();
        server = launcher.getRemoteProxy();
    }

    @AfterEach
    void close() throws Exception {
        toServer.close();
        serverThread.join(TimeUnit.SECONDS.toMillis(5));
    }

    private <T> T get(java.util.concurrent.CompletableFuture<T> f) throws Exception {
        return f.get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    private StoppedEventArguments nextStop() throws InterruptedException {
        StoppedEventArguments s = stops.poll(TIMEOUT_S, TimeUnit.SECONDS);
        assertNotNull(s, "no stopped event");
        return s;
    }

    private String eval(String expr) throws Exception {
        EvaluateArguments a = new EvaluateArguments();
        a.setExpression(expr);
        return get(server.evaluate(a)).getResult();
    }

    private StackFrame[] stack() throws Exception {
        StackTraceArguments a = new StackTraceArguments();
        a.setThreadId(1);
        return get(server.stackTrace(a)).getStackFrames();
    }

    private void launch(Map<String, Object> args) throws Exception {
        Capabilities c = get(server.initialize(new InitializeRequestArguments()));
        assertTrue(c.getSupportsStepBack());
        assertEquals(List.of("fault", "violation"), Arrays.stream(c.getExceptionBreakpointFilters()).map(f -> f.getFilter()).toList());
        get(server.launch(args));
        assertTrue(initialized, "initialized is sent once the machine is built");
    }

    @Test
    void aDebugSessionThroughTheMacroOverTheProtocol() throws Exception {
        launch(Map.of("program", SAMPLE, "features", List.of("PTI,PCID"),
                "mem", List.of("%gs:cpu_tlbstate+TLB_STATE_user_pcid_flush_mask=0x2:2"), "stopOnEntry", true));
        SetBreakpointsArguments bps = new SetBreakpointsArguments();
        Source src = new Source();
        src.setPath(SAMPLE);
        bps.setSource(src);
        SourceBreakpoint body = new SourceBreakpoint();
        body.setLine(24);
        SourceBreakpoint blank = new SourceBreakpoint();
        blank.setLine(29);   // .Lpcid_\@: a label line, no code: moved to the next line that has some
        bps.setBreakpoints(new SourceBreakpoint[] {body, blank});
        SetBreakpointsResponse set = get(server.setBreakpoints(bps));
        assertTrue(set.getBreakpoints()[0].isVerified());
        assertEquals(24, set.getBreakpoints()[0].getLine());
        assertTrue(set.getBreakpoints()[1].isVerified());
        assertEquals(30, set.getBreakpoints()[1].getLine());
        SetExceptionBreakpointsArguments ex = new SetExceptionBreakpointsArguments();
        ex.setFilters(new String[] {"fault", "violation"});
        get(server.setExceptionBreakpoints(ex));
        get(server.configurationDone(new ConfigurationDoneArguments()));
        assertEquals("entry", nextStop().getReason());

        get(server.continue_(new ContinueArguments()));
        StoppedEventArguments hit = nextStop();
        assertEquals("breakpoint", hit.getReason());
        StackFrame[] frames = stack();
        assertEquals(2, frames.length, "the macro-body frame and the .S line");
        assertEquals("to_user_cr3", frames[0].getName());
        assertEquals(24, frames[0].getLine());
        assertEquals(SAMPLE, frames[0].getSource().getPath());
        assertEquals(41, frames[1].getLine());
        assertEquals("exit_to_user", frames[1].getName());

        ScopesArguments sa = new ScopesArguments();
        sa.setFrameId(frames[0].getId());
        assertEquals("General registers", get(server.scopes(sa)).getScopes()[0].getName());
        VariablesArguments va = new VariablesArguments();
        va.setVariablesReference(3);
        Variable[] control = get(server.variables(va)).getVariables();
        assertTrue(Arrays.stream(control).anyMatch(v -> v.getName().equals("cr3") && v.getValue().equals("0x1c0a001")),
                Arrays.toString(control));
        assertEquals("0x1c0a001", eval("$cr3"));
        assertEquals("0x2", eval("%gs:cpu_tlbstate+TLB_STATE_user_pcid_flush_mask & 0xffff"));

        SetDataBreakpointsArguments da = new SetDataBreakpointsArguments();
        DataBreakpoint cr3 = new DataBreakpoint();
        cr3.setDataId("$cr3");
        da.setBreakpoints(new DataBreakpoint[] {cr3});
        assertTrue(get(server.setDataBreakpoints(da)).getBreakpoints()[0].isVerified());
        get(server.continue_(new ContinueArguments()));
        assertEquals("breakpoint", nextStop().getReason(), "the label line's breakpoint comes first");
        get(server.continue_(new ContinueArguments()));
        assertEquals("data breakpoint", nextStop().getReason());
        assertEquals("0x1c0b801", eval("$cr3"));
        assertEquals(42, stack()[0].getLine());

        get(server.stepBack(new StepBackArguments()));
        assertEquals("step", nextStop().getReason());
        assertEquals("0x1c0a001", eval("$cr3"), "stepping back undid the CR3 write");
        assertEquals(41, stack()[0].getLine(), "stepBack is reverse-next: to the invocation line");

        bps.setBreakpoints(new SourceBreakpoint[0]);
        get(server.setBreakpoints(bps));
        get(server.stepIn(new StepInArguments()));
        nextStop();
        assertEquals("to_user_cr3", stack()[0].getName());
        get(server.next(new NextArguments()));
        nextStop();
        assertEquals(23, stack()[0].getLine());
        get(server.stepOut(new StepOutArguments()));
        assertEquals("data breakpoint", nextStop().getReason(), "the CR3 write on the way out of the macro");
        assertEquals("0x1c0b801", eval("$cr3"));
        assertEquals(42, stack()[0].getLine());

        get(server.reverseContinue(new ReverseContinueArguments()));
        assertEquals("data breakpoint", nextStop().getReason());
        assertEquals("0x1c0a001", eval("$cr3"));

        DisassembleArguments dis = new DisassembleArguments();
        dis.setMemoryReference(stack()[0].getInstructionPointerReference());
        dis.setInstructionCount(2);
        DisassembleResponse d = get(server.disassemble(dis));
        assertEquals("movq %rdi,%cr3", d.getInstructions()[0].getInstruction());
        assertEquals("0f 22 df", d.getInstructions()[0].getInstructionBytes(), "mov %rdi,%cr3 as gas encodes it");
        assertEquals(33, d.getInstructions()[0].getLine());
    }

    @Test
    void aFaultStopsAsAnExceptionWithTheReport() throws Exception {
        launch(Map.of("program", Path.of("asm-samples/pti-stack.S").toAbsolutePath().toString(), "machine", "pti",
                "features", List.of("PTI"), "entry", "broken"));
        get(server.configurationDone(new ConfigurationDoneArguments()));
        StoppedEventArguments s = nextStop();
        assertEquals("exception", s.getReason());
        assertEquals("fault #PF", s.getDescription());
        String report = output.poll(TIMEOUT_S, TimeUnit.SECONDS);
        assertNotNull(report);
        assertTrue(report.contains("error: fault #PF"), report);
    }

    /** {@code kernelTree} and {@code scenario} are run's {@code --kernel-tree} and {@code --scenario}: no {@code program} needed. */
    @Test
    void aKernelTreesOwnEntryPathLaunchesAsAScenario() throws Exception {
        Path tree = Path.of("../shared/corpus/kernel/trees/v6.6.87").toAbsolutePath();
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(tree), tree + " is absent: skipped");
        launch(Map.of("kernelTree", tree.toString(), "scenario", "syscall", "features", List.of("PTI,PCID"),
                "stopOnEntry", true));
        get(server.configurationDone(new ConfigurationDoneArguments()));
        StoppedEventArguments s = nextStop();
        assertEquals("entry", s.getReason());
        // continue ends where run --scenario does: back in user mode after the syscall
        get(server.continue_(new ContinueArguments()));
        StoppedEventArguments end = nextStop();
        assertEquals("end", end.getReason());
        assertEquals("return-to-user", end.getDescription());
    }

    @Test
    void badLaunchArgumentsAreAnErrorResponse() throws Exception {
        get(server.initialize(new InitializeRequestArguments()));
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> get(server.launch(Map.of("program", SAMPLE, "set", List.of("nosuchreg=1")))));
        assertTrue(e.getCause().getMessage().contains("nosuchreg"), e.getCause().getMessage());
        assertFalse(initialized);
    }

    @Test
    void pauseStopsARunningContinueAndRestartGoesBackToTheEntry(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path loop = dir.resolve("loop.S");
        java.nio.file.Files.writeString(loop, "\t.text\nstart:\n\tincq\t%rcx\n\tjmp\tstart\n");
        launch(Map.of("program", loop.toString(), "maxSteps", 1_000_000_000_000L, "stopOnEntry", true));
        get(server.configurationDone(new ConfigurationDoneArguments()));
        assertEquals("entry", nextStop().getReason());
        get(server.continue_(new ContinueArguments()));
        Thread.sleep(300);
        get(server.pause(new org.eclipse.lsp4j.debug.PauseArguments()));
        assertEquals("pause", nextStop().getReason());
        assertTrue(Long.decode(eval("$rcx")) > 0, "the loop ran until the pause");
        get(server.restart(new org.eclipse.lsp4j.debug.RestartArguments()));
        assertEquals("entry", nextStop().getReason());
        assertEquals("0x0", eval("$rcx"));
    }

    @Test
    void withoutTheViolationFilterAViolationIsReportedButRunPast(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path f = dir.resolve("pcid.S");
        java.nio.file.Files.writeString(f, "\t.text\nstart:\n\tmovq\t$0x1c0a001, %rax\n\tmovq\t%rax, %cr3\n\tnop\n\thlt\n");
        launch(Map.of("program", f.toString()));
        SetExceptionBreakpointsArguments ex = new SetExceptionBreakpointsArguments();
        ex.setFilters(new String[] {"fault"});
        get(server.setExceptionBreakpoints(ex));
        get(server.configurationDone(new ConfigurationDoneArguments()));
        StoppedEventArguments s = nextStop();
        assertEquals("end", s.getReason(), "ran past the violation to the hlt");
        assertEquals("hlt", s.getDescription());
        boolean reported = false;
        for (String o = output.poll(1, TimeUnit.SECONDS); o != null; o = output.poll(1, TimeUnit.SECONDS)) {
            reported |= o.contains("pcid-bits-without-pcid");
        }
        assertTrue(reported, "the violation went to the client's output");
    }
}
