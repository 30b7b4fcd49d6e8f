package io.entrysim.cli;

import io.entrysim.diag.AsmError;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code entrysim}: the command-line front door. */
@Command(name = "entrysim", mixinStandardHelpOptions = true, version = "entrysim 0.1.0", exitCodeOnInvalidInput = 1,
        description = "Runs x86-64 AT&T assembly source (cpp + GNU as macros) on a modeled CPU.")
public final class Main implements Runnable {
    /** The subcommands by name, in the order help lists them. */
    private static final Map<String, Class<?>> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("run", RunCommand.class);
        COMMANDS.put("test", TestCommand.class);
        COMMANDS.put("equiv", EquivCommand.class);
        COMMANDS.put("debug", DebugCommand.class);
        COMMANDS.put("dap", DapCommand.class);
    }

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command (try: entrysim run FILE.S)");
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs a command line; returns the exit status (0 ok, 1 bad input or a failed run). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        return execute(args, System.in, out, err);
    }

    /** As {@link #execute(String[], PrintWriter, PrintWriter)}, with the standard input {@code debug --batch} reads. */
    public static int execute(String[] args, java.io.InputStream in, PrintWriter out, PrintWriter err) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                return cls == DebugCommand.class ? cls.cast(new DebugCommand(in)) : CommandLine.defaultFactory().create(cls);
            }
        };
        CommandLine cl = new CommandLine(new Main(), factory);
        // A command line that starts with a subcommand's name gets only that subcommand: picocli
        // reads a command's annotations when it is added (the other four cost ~15% of its start-up),
        // and no other can take part once one is named (none is repeatable).
        Class<?> named = args.length > 0 ? COMMANDS.get(args[0]) : null;
        COMMANDS.forEach((name, command) -> {
            if (named == null || named == command) {
                cl.addSubcommand(name, command);
            }
        });
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof AsmError e) {
                err.println(e.format());
                if (e instanceof io.entrysim.diag.InternalFailure bug) {
                    if (System.getenv("ENTRYSIM_DEBUG") != null) {
                        bug.bug().printStackTrace(err);
                    } else {
                        err.println("entrysim: set ENTRYSIM_DEBUG=1 for the stack trace");
                    }
                }
                if (commandLine.getCommand() instanceof RunCommand run && run.json) {
                    // tools reading --json get the error on stdout too, as one object
                    commandLine.getOut().println(JsonReport.error(e));
                    commandLine.getOut().flush();
                }
            } else {
                // A bug in entrysim, not in the input: say so, without a wall of stack trace.
                err.println("entrysim: internal error: " + ex);
                if (System.getenv("ENTRYSIM_DEBUG") != null) {
                    ex.printStackTrace(err);
                } else {
                    err.println("entrysim: set ENTRYSIM_DEBUG=1 for the stack trace, and please report it");
                }
            }
            err.flush();
            return 1;
        });
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            err.println("entrysim: error: out of memory (raise the JVM heap with JAVA_TOOL_OPTIONS=-Xmx..., or shrink the input)");
            err.flush();
            return 1;
        } catch (StackOverflowError e) {
            // outside the stages' own boundaries (which report where): still no stack trace
            err.println("entrysim: internal error: stack overflow (please report)");
            err.flush();
            return 1;
        }
    }
}
