package io.entrysim.dap;

import io.entrysim.assemble.Insn;
import io.entrysim.debug.Breakpoint;
import io.entrysim.debug.Debugger;
import io.entrysim.debug.Frame;
import io.entrysim.debug.Stop;
import io.entrysim.debug.Watchpoint;
import io.entrysim.diag.AsmError;
import io.entrysim.diag.Diagnostics;
import io.entrysim.exec.Violation;
import io.entrysim.session.Machine;
import io.entrysim.session.Symbolizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.lsp4j.debug.Capabilities;
import org.eclipse.lsp4j.debug.ConfigurationDoneArguments;
import org.eclipse.lsp4j.debug.ContinueArguments;
import org.eclipse.lsp4j.debug.ContinueResponse;
import org.eclipse.lsp4j.debug.DataBreakpoint;
import org.eclipse.lsp4j.debug.DataBreakpointAccessType;
import org.eclipse.lsp4j.debug.DataBreakpointInfoArguments;
import org.eclipse.lsp4j.debug.DataBreakpointInfoResponse;
import org.eclipse.lsp4j.debug.DisassembleArguments;
import org.eclipse.lsp4j.debug.DisassembleResponse;
import org.eclipse.lsp4j.debug.DisassembledInstruction;
import org.eclipse.lsp4j.debug.DisconnectArguments;
import org.eclipse.lsp4j.debug.EvaluateArguments;
import org.eclipse.lsp4j.debug.EvaluateResponse;
import org.eclipse.lsp4j.debug.ExceptionBreakpointsFilter;
import org.eclipse.lsp4j.debug.InitializeRequestArguments;
import org.eclipse.lsp4j.debug.NextArguments;
import org.eclipse.lsp4j.debug.OutputEventArguments;
import org.eclipse.lsp4j.debug.PauseArguments;
import org.eclipse.lsp4j.debug.RestartArguments;
import org.eclipse.lsp4j.debug.ReverseContinueArguments;
import org.eclipse.lsp4j.debug.Scope;
import org.eclipse.lsp4j.debug.ScopesArguments;
import org.eclipse.lsp4j.debug.ScopesResponse;
import org.eclipse.lsp4j.debug.SetBreakpointsArguments;
import org.eclipse.lsp4j.debug.SetBreakpointsResponse;
import org.eclipse.lsp4j.debug.SetDataBreakpointsArguments;
import org.eclipse.lsp4j.debug.SetDataBreakpointsResponse;
import org.eclipse.lsp4j.debug.SetExceptionBreakpointsArguments;
import org.eclipse.lsp4j.debug.SetExceptionBreakpointsResponse;
import org.eclipse.lsp4j.debug.Source;
import org.eclipse.lsp4j.debug.SourceBreakpoint;
import org.eclipse.lsp4j.debug.StackFrame;
import org.eclipse.lsp4j.debug.StackTraceArguments;
import org.eclipse.lsp4j.debug.StackTraceResponse;
import org.eclipse.lsp4j.debug.StepBackArguments;
import org.eclipse.lsp4j.debug.StepInArguments;
import org.eclipse.lsp4j.debug.StepOutArguments;
import org.eclipse.lsp4j.debug.StoppedEventArguments;
import org.eclipse.lsp4j.debug.TerminateArguments;
import org.eclipse.lsp4j.debug.TerminatedEventArguments;
import org.eclipse.lsp4j.debug.Thread;
import org.eclipse.lsp4j.debug.ThreadsResponse;
import org.eclipse.lsp4j.debug.VariablesArguments;
import org.eclipse.lsp4j.debug.VariablesResponse;
import org.eclipse.lsp4j.debug.services.IDebugProtocolClient;
import org.eclipse.lsp4j.debug.services.IDebugProtocolServer;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;

/**
 * entrysim as a Debug Adapter Protocol server, on the {@link Debugger} engine: one thread (the
 * CPU), stack frames = macro frames with their real sources (headers included), data
 * breakpoints = watchpoints over the same expressions as {@code evaluate}, exception filters
 * {@code fault} and {@code violation}, step back and reverse continue. Requests that touch the
 * machine run one at a time on the engine thread; {@code pause} interrupts the running one.
 */
public final class DapServer implements IDebugProtocolServer {
    static final int THREAD_ID = 1;

    private final Function<Map<String, Object>, Debugger> launcher;
    private final ExecutorService engine = Executors.newSingleThreadExecutor(r -> {
        java.lang.Thread t = new java.lang.Thread(r, "entrysim-dap-engine");
        t.setDaemon(true);
        return t;
    });
    private IDebugProtocolClient client;
    private Debugger dbg;
    private Symbolizer symbolizer;
    private boolean stopOnEntry;
    private boolean stopOnViolation = true;
    /** Breakpoint numbers per source path, as the last setBreakpoints for it left them. */
    private final Map<String, List<Integer>> sourceBreakpoints = new HashMap<>();
    private final List<Integer> dataBreakpoints = new ArrayList<>();

    /** {@code launcher} turns the launch request's arguments into a debugger on the machine (throws AsmError on bad input). */
    public DapServer(Function<Map<String, Object>, Debugger> launcher) {
        this.launcher = launcher;
    }

    public void connect(IDebugProtocolClient client) {
        this.client = client;
    }

    // ---- plumbing

    private <T> CompletableFuture<T> onEngine(Supplier<T> work) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return work.get();
            } catch (AsmError e) {
                throw new ResponseErrorException(new ResponseError(ResponseErrorCode.InvalidParams, e.getMessage(), null));
            } catch (RuntimeException e) {
                // a bug in entrysim: the client gets a message, the session goes on
                throw new ResponseErrorException(new ResponseError(ResponseErrorCode.InternalError,
                        "entrysim: internal error: " + e, null));
            }
        }, engine);
    }

    /** Answers the request at once, then runs {@code command} on the engine and reports where it stopped. */
    private CompletableFuture<Void> execution(Supplier<Stop> command) {
        CompletableFuture<Void> response = new CompletableFuture<>();
        engine.execute(() -> {
            // the response goes out before the stopped event: wait for the JSON-RPC layer to be listening
            long until = System.currentTimeMillis() + 1000;
            while (response.getNumberOfDependents() == 0 && System.currentTimeMillis() < until) {
                java.lang.Thread.onSpinWait();
            }
            response.complete(null);
            try {
                report(command.get());
            } catch (RuntimeException e) {
                output("stderr", "entrysim: " + e.getMessage() + "\n");
                stopped("exception", e.getMessage(), null);
            }
        });
        return response;
    }

    private Debugger debugger() {
        if (dbg == null) {
            throw new AsmError(null, "no program launched");
        }
        return dbg;
    }

    // ---- life cycle

    @Override
    public CompletableFuture<Capabilities> initialize(InitializeRequestArguments args) {
        Capabilities c = new Capabilities();
        c.setSupportsConfigurationDoneRequest(true);
        c.setSupportsConditionalBreakpoints(true);
        c.setSupportsEvaluateForHovers(true);
        c.setSupportsStepBack(true);
        c.setSupportsDataBreakpoints(true);
        c.setSupportsRestartRequest(true);
        c.setSupportsTerminateRequest(true);
        c.setSupportsDisassembleRequest(true);
        c.setExceptionBreakpointFilters(new ExceptionBreakpointsFilter[] {
            filter("fault", "Faults (#PF, #GP, ...)", "The run cannot go on past a fault; it always stops there."),
            filter("violation", "Violations (lost flush, PCID bits without PCID)", "Stop after the instruction that broke the rule.")});
        return CompletableFuture.completedFuture(c);
    }

    private static ExceptionBreakpointsFilter filter(String id, String label, String description) {
        ExceptionBreakpointsFilter f = new ExceptionBreakpointsFilter();
        f.setFilter(id);
        f.setLabel(label);
        f.setDescription(description);
        f.setDefault_(true);
        return f;
    }

    /**
     * {@code launch}: {@code program} and the options of {@code entrysim run} as JSON fields
     * (see {@code DapCommand}), plus {@code stopOnEntry}. Sends {@code initialized} once the
     * machine is built.
     */
    @Override
    public CompletableFuture<Void> launch(Map<String, Object> args) {
        return onEngine(() -> {
            dbg = launcher.apply(args);
            Machine m = dbg.machine();
            symbolizer = new Symbolizer(m.program());
            stopOnEntry = Boolean.TRUE.equals(args.get("stopOnEntry"));
            for (String printed : m.build().printed()) {
                output("stdout", printed + "\n");
            }
            for (var w : m.build().warnings()) {
                output("stderr", w.format() + "\n");
            }
            client.initialized();
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> configurationDone(ConfigurationDoneArguments args) {
        if (stopOnEntry) {
            return execution(() -> null);
        }
        return execution(() -> debugger().run());
    }

    @Override
    public CompletableFuture<Void> restart(RestartArguments args) {
        return execution(() -> {
            if (stopOnEntry) {
                debugger().restart();
                return null;
            }
            return debugger().run();
        });
    }

    @Override
    public CompletableFuture<Void> disconnect(DisconnectArguments args) {
        if (dbg != null) {
            dbg.interrupt();
        }
        engine.shutdown();
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> terminate(TerminateArguments args) {
        if (dbg != null) {
            dbg.interrupt();
        }
        return onEngine(() -> {
            client.terminated(new TerminatedEventArguments());
            return null;
        });
    }

    // ---- breakpoints

    @Override
    public CompletableFuture<SetBreakpointsResponse> setBreakpoints(SetBreakpointsArguments args) {
        return onEngine(() -> {
            Debugger d = debugger();
            String path = args.getSource().getPath();
            for (int n : sourceBreakpoints.getOrDefault(path, List.of())) {
                d.delete(n);
            }
            List<Integer> numbers = new ArrayList<>();
            SourceBreakpoint[] wanted = args.getBreakpoints() == null ? new SourceBreakpoint[0] : args.getBreakpoints();
            org.eclipse.lsp4j.debug.Breakpoint[] out = new org.eclipse.lsp4j.debug.Breakpoint[wanted.length];
            for (int i = 0; i < wanted.length; i++) {
                org.eclipse.lsp4j.debug.Breakpoint b = new org.eclipse.lsp4j.debug.Breakpoint();
                b.setSource(args.getSource());
                String cond = wanted[i].getCondition();
                try {
                    Breakpoint bp = d.breakAt(path + ":" + wanted[i].getLine() + (cond == null || cond.isBlank() ? "" : " if " + cond), false);
                    numbers.add(bp.number());
                    b.setId(bp.number());
                    b.setVerified(true);
                    b.setLine(bp.line());
                } catch (AsmError e) {
                    b.setVerified(false);
                    b.setLine(wanted[i].getLine());
                    b.setMessage(e.getMessage());
                }
                out[i] = b;
            }
            sourceBreakpoints.put(path, numbers);
            SetBreakpointsResponse r = new SetBreakpointsResponse();
            r.setBreakpoints(out);
            return r;
        });
    }

    @Override
    public CompletableFuture<SetExceptionBreakpointsResponse> setExceptionBreakpoints(SetExceptionBreakpointsArguments args) {
        Set<String> filters = new HashSet<>(List.of(args.getFilters() == null ? new String[0] : args.getFilters()));
        stopOnViolation = filters.contains("violation");
        return CompletableFuture.completedFuture(new SetExceptionBreakpointsResponse());
    }

    @Override
    public CompletableFuture<DataBreakpointInfoResponse> dataBreakpointInfo(DataBreakpointInfoArguments args) {
        return onEngine(() -> {
            DataBreakpointInfoResponse r = new DataBreakpointInfoResponse();
            String name = args.getName();
            String expr = name.startsWith("$") || name.startsWith("%") || name.startsWith("*") ? name : "$" + name;
            try {
                debugger().evaluate(expr);
                r.setDataId(expr);
                r.setDescription("when " + expr + " changes");
                r.setAccessTypes(new DataBreakpointAccessType[] {DataBreakpointAccessType.WRITE});
            } catch (AsmError e) {
                try {
                    debugger().evaluate(name);
                    r.setDataId(name);
                    r.setDescription("when " + name + " changes");
                } catch (AsmError e2) {
                    r.setDescription(e2.getMessage());
                }
            }
            return r;
        });
    }

    @Override
    public CompletableFuture<SetDataBreakpointsResponse> setDataBreakpoints(SetDataBreakpointsArguments args) {
        return onEngine(() -> {
            Debugger d = debugger();
            dataBreakpoints.forEach(d::delete);
            dataBreakpoints.clear();
            DataBreakpoint[] wanted = args.getBreakpoints() == null ? new DataBreakpoint[0] : args.getBreakpoints();
            org.eclipse.lsp4j.debug.Breakpoint[] out = new org.eclipse.lsp4j.debug.Breakpoint[wanted.length];
            for (int i = 0; i < wanted.length; i++) {
                org.eclipse.lsp4j.debug.Breakpoint b = new org.eclipse.lsp4j.debug.Breakpoint();
                try {
                    Watchpoint w = d.watch(wanted[i].getDataId());
                    dataBreakpoints.add(w.number());
                    b.setId(w.number());
                    b.setVerified(true);
                } catch (AsmError e) {
                    b.setVerified(false);
                    b.setMessage(e.getMessage());
                }
                out[i] = b;
            }
            SetDataBreakpointsResponse r = new SetDataBreakpointsResponse();
            r.setBreakpoints(out);
            return r;
        });
    }

    // ---- execution

    @Override
    public CompletableFuture<ContinueResponse> continue_(ContinueArguments args) {
        return execution(() -> debugger().cont()).thenApply(v -> {
            ContinueResponse r = new ContinueResponse();
            r.setAllThreadsContinued(true);
            return r;
        });
    }

    @Override
    public CompletableFuture<Void> next(NextArguments args) {
        return execution(() -> debugger().next(1));
    }

    @Override
    public CompletableFuture<Void> stepIn(StepInArguments args) {
        return execution(() -> debugger().step(1));
    }

    @Override
    public CompletableFuture<Void> stepOut(StepOutArguments args) {
        return execution(() -> debugger().finish());
    }

    @Override
    public CompletableFuture<Void> stepBack(StepBackArguments args) {
        return execution(() -> debugger().reverseNext());
    }

    @Override
    public CompletableFuture<Void> reverseContinue(ReverseContinueArguments args) {
        return execution(() -> debugger().reverseContinue());
    }

    @Override
    public CompletableFuture<Void> pause(PauseArguments args) {
        if (dbg != null) {
            dbg.interrupt();
        }
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Tells the client where the run stopped (null: at the entry, nothing ran); a violation the
     * client does not want to stop on is run past.
     */
    private void report(Stop s) {
        if (s == null) {
            stopped("entry", null, null);
            return;
        }
        while (s.kind() == Stop.Kind.VIOLATION && !stopOnViolation) {
            violations(s.violations());
            s = dbg.cont();
        }
        switch (s.kind()) {
            case STEP -> stopped("step", null, null);
            case BREAKPOINT -> stopped("breakpoint", "Breakpoint " + s.breakpoint().number(), s.breakpoint().number());
            case WATCHPOINT -> stopped("data breakpoint", s.watchpoint().expression().text() + ": 0x" + Long.toHexString(s.oldValue())
                    + " -> 0x" + Long.toHexString(s.newValue()), s.watchpoint().number());
            case VIOLATION -> {
                violations(s.violations());
                stopped("exception", s.violations().isEmpty() ? "violation" : s.violations().get(0).kind(), null);
            }
            case FINISHED, LIMIT -> {
                var o = s.outcome();
                if (o.fault() != null) {
                    output("stderr", Diagnostics.format("error", o.lastOrigin(), "fault " + o.fault().summary()) + "\n");
                    stopped("exception", "fault " + o.fault().vector(), null);
                } else {
                    violations(o.violations());
                    output("console", "stop: " + o.stop().label() + (o.detail() == null ? "" : " (" + o.detail() + ")")
                            + " after " + o.steps() + " steps\n");
                    // not terminated: the client can still step back through the run
                    stopped("end", o.stop().label(), null);
                }
            }
            case INTERRUPTED -> stopped("pause", null, null);
            case HISTORY_START -> stopped("step", "start of the recorded history", null);
        }
    }

    private void violations(List<Violation> vs) {
        for (Violation v : vs) {
            output("stderr", Diagnostics.format("warning", v.at() == null ? null : v.at().origin, v.kind() + ": " + v.message()) + "\n");
        }
    }

    private void stopped(String reason, String description, Integer breakpoint) {
        StoppedEventArguments e = new StoppedEventArguments();
        e.setReason(reason);
        e.setDescription(description);
        e.setThreadId(THREAD_ID);
        e.setAllThreadsStopped(true);
        if (breakpoint != null) {
            e.setHitBreakpointIds(new Integer[] {breakpoint});
        }
        client.stopped(e);
    }

    private void output(String category, String text) {
        OutputEventArguments o = new OutputEventArguments();
        o.setCategory(category);
        o.setOutput(text);
        client.output(o);
    }

    // ---- inspection

    @Override
    public CompletableFuture<ThreadsResponse> threads() {
        Thread t = new Thread();
        t.setId(THREAD_ID);
        t.setName("cpu0");
        ThreadsResponse r = new ThreadsResponse();
        r.setThreads(new Thread[] {t});
        return CompletableFuture.completedFuture(r);
    }

    @Override
    public CompletableFuture<StackTraceResponse> stackTrace(StackTraceArguments args) {
        return onEngine(() -> {
            Debugger d = debugger();
            Insn insn = d.currentInsn();
            // frames inside the selected one are expansions not entered yet (after a next over a macro line)
            List<Frame> all = d.frames();
            List<Frame> frames = all.subList(Math.min(d.selectedFrame(), all.size()), all.size());
            StackFrame[] out = new StackFrame[frames.size()];
            for (Frame f : frames) {
                StackFrame sf = new StackFrame();
                sf.setId(f.level() + 1);
                sf.setName(f.macro() != null ? f.macro() : function(insn.address));
                sf.setSource(source(f.line().file()));
                sf.setLine(f.line().line());
                sf.setColumn(1);
                sf.setInstructionPointerReference("0x" + Long.toHexString(insn.address));
                out[f.level() - d.selectedFrame()] = sf;
            }
            StackTraceResponse r = new StackTraceResponse();
            r.setStackFrames(out);
            r.setTotalFrames(out.length);
            return r;
        });
    }

    private String label(long address) {
        String l = symbolizer.describe(address);
        return l.isEmpty() ? String.format("0x%x", address) : l.substring(1, l.length() - 1);
    }

    /** A memory reference as this adapter writes them ({@code 0x...}, any 64-bit value), or decimal. */
    private static long address(String reference) {
        String r = reference.strip().toLowerCase(java.util.Locale.ROOT);
        try {
            return r.startsWith("0x") ? Long.parseUnsignedLong(r.substring(2), 16) : Long.parseUnsignedLong(r);
        } catch (NumberFormatException e) {
            throw new AsmError(null, "bad memory reference `" + reference + "'");
        }
    }

    /** The label an address is in, without the offset: a frame's name outside any macro. */
    private String function(long address) {
        String l = label(address);
        int plus = l.indexOf('+');
        return plus > 0 ? l.substring(0, plus) : l;
    }

    private static Source source(String file) {
        Source s = new Source();
        Path p = Path.of(file);
        s.setName(p.getFileName() == null ? file : p.getFileName().toString());
        s.setPath(Files.exists(p) ? p.toAbsolutePath().toString() : file);
        return s;
    }

    @Override
    public CompletableFuture<ScopesResponse> scopes(ScopesArguments args) {
        ScopesResponse r = new ScopesResponse();
        Scope[] scopes = DapVariables.scopes();
        r.setScopes(scopes);
        return CompletableFuture.completedFuture(r);
    }

    @Override
    public CompletableFuture<VariablesResponse> variables(VariablesArguments args) {
        return onEngine(() -> {
            VariablesResponse r = new VariablesResponse();
            r.setVariables(DapVariables.variables(debugger(), debugger().machine().build(), args.getVariablesReference()));
            return r;
        });
    }

    /** {@code evaluate}: the expressions {@code print} takes ({@code $cr3 & 0x1000}, {@code %gs:SYM}, ...). */
    @Override
    public CompletableFuture<EvaluateResponse> evaluate(EvaluateArguments args) {
        return onEngine(() -> {
            long v = debugger().evaluate(args.getExpression());
            EvaluateResponse r = new EvaluateResponse();
            r.setResult("0x" + Long.toHexString(v));
            r.setVariablesReference(0);
            return r;
        });
    }

    /** The program's instructions around an address, as expanded, each with the line that emitted it. */
    @Override
    public CompletableFuture<DisassembleResponse> disassemble(DisassembleArguments args) {
        return onEngine(() -> {
            Insn[] code = debugger().machine().program().code();
            long ref = address(args.getMemoryReference());
            int at = debugger().machine().program().indexOf(ref);
            int first = Math.max(0, (at < 0 ? 0 : at) + (args.getInstructionOffset() == null ? 0 : args.getInstructionOffset()));
            List<DisassembledInstruction> out = new ArrayList<>();
            for (int i = first; i < code.length && out.size() < args.getInstructionCount(); i++) {
                DisassembledInstruction di = new DisassembledInstruction();
                di.setAddress("0x" + Long.toHexString(code[i].address));
                di.setInstruction(code[i].text.strip());
                int length = (int) (code[i].nextAddress - code[i].address);
                if (code[i].op != io.entrysim.assemble.Op.STUB && length > 0 && length <= 15) {
                    // the encoding as assembled into the machine's memory
                    StringBuilder hex = new StringBuilder();
                    for (byte x : debugger().machine().cpu().memory().readBytes(code[i].address, length)) {
                        hex.append(hex.length() == 0 ? "" : " ").append(String.format("%02x", x & 0xff));
                    }
                    di.setInstructionBytes(hex.toString());
                }
                di.setSymbol(label(code[i].address));
                if (code[i].origin != null) {
                    di.setLocation(source(code[i].origin.pos().file()));
                    di.setLine(code[i].origin.pos().line());
                }
                out.add(di);
            }
            DisassembleResponse r = new DisassembleResponse();
            r.setInstructions(out.toArray(DisassembledInstruction[]::new));
            return r;
        });
    }
}
