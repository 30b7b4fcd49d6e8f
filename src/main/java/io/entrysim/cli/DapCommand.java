package io.entrysim.cli;

import io.entrysim.dap.DapServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.Callable;
import org.eclipse.lsp4j.debug.launch.DSPLauncher;
import org.eclipse.lsp4j.debug.services.IDebugProtocolClient;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code entrysim dap}: a Debug Adapter Protocol server over standard input and output (or one
 * connection on {@code --port N} of the loopback address), for VS Code, nvim-dap, dap-mode.
 * The {@code launch} request's fields are {@code program} plus {@code entrysim run}'s options
 * ({@link DapLaunch}) and {@code stopOnEntry}.
 */
@Command(name = "dap", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = "Serve the Debug Adapter Protocol on stdin/stdout (or --port N on 127.0.0.1).")
public final class DapCommand implements Callable<Integer> {
    @Option(names = "--port", paramLabel = "N", description = "listen on 127.0.0.1:N for one client instead of stdio")
    Integer port;

    @Override
    public Integer call() throws Exception {
        if (port == null) {
            serve(System.in, System.out);
            return 0;
        }
        try (ServerSocket server = new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
             Socket s = server.accept()) {
            serve(s.getInputStream(), s.getOutputStream());
        }
        return 0;
    }

    /** Serves one client until its stream closes. */
    static void serve(InputStream in, OutputStream out) throws Exception {
        DapServer server = new DapServer(DapLaunch::debugger);
        Launcher<IDebugProtocolClient> launcher = DSPLauncher.createServerLauncher(server, in, out);
        server.connect(launcher.getRemoteProxy());
        launcher.startListening().get();
    }
}
