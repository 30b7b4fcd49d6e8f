package io.entrysim.bench.compare;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The JVM that {@code bench/compare/compare.py} keeps running while it interleaves entrysim and
 * Unicorn samples: one request a line on stdin, one JSON line back with the operations done and
 * the seconds they took (the loop times itself, at least the seconds asked, after its own first
 * call; the harness also discards each workload's first sample as warm-up).
 * <pre>
 *   sweep SECONDS               states of cr3-sweep.S (restore, set the flush mask, run to hlt)
 *   loop NAME ITERATIONS SECONDS  instructions of loop-dec or loop-bt, ITERATIONS a run
 *   frontend TREE SECONDS       builds of TREE's entry_64.S, as --kernel-tree builds it
 * </pre>
 * Run from the project directory with the test classpath (bin/bench --compare does).
 */
public final class CompareServer {
    private final Path dir;
    private final Map<String, Object> workloads = new HashMap<>();

    private CompareServer(Path dir) {
        this.dir = dir;
    }

    public static void main(String[] args) throws IOException {
        CompareServer server = new CompareServer(args.length > 0 ? Path.of(args[0]) : CompareWorkloads.DIR);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null && !line.isBlank(); ) {
            String reply;
            try {
                reply = server.serve(line.trim().split("\\s+"));
            } catch (RuntimeException e) {
                reply = "{\"error\": \"" + String.valueOf(e.getMessage()).replace("\\", "\\\\").replace("\"", "'")
                        .replace("\n", " ") + "\"}";
            }
            System.out.println(reply);
            System.out.flush();
        }
    }

    private String serve(String[] request) {
        switch (request[0]) {
            case "sweep" -> {
                CompareWorkloads.Sweep sweep = (CompareWorkloads.Sweep) workloads.computeIfAbsent("sweep",
                        k -> new CompareWorkloads.Sweep(dir));
                long[] k = {0};
                return timed(Double.parseDouble(request[1]), () -> {
                    sweep.runState(k[0]++);
                    return 1;
                });
            }
            case "loop" -> {
                CompareWorkloads.Loop loop = (CompareWorkloads.Loop) workloads.computeIfAbsent(request[1],
                        name -> new CompareWorkloads.Loop(dir, name));
                long iterations = Long.parseLong(request[2]);
                return timed(Double.parseDouble(request[3]), () -> loop.run(iterations));
            }
            case "frontend" -> {
                Path tree = Path.of(request[1]);
                return timed(Double.parseDouble(request[2]), () -> {
                    CompareWorkloads.frontEnd(tree);
                    return 1;
                });
            }
            default -> throw new IllegalArgumentException("unknown request: " + String.join(" ", request));
        }
    }

    /** Runs {@code op} (once untimed, then) until {@code seconds} have passed; its operations and time. */
    private static String timed(double seconds, LongSupplier op) {
        op.getAsLong();
        long ops = 0;
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long now;
        do {
            ops += op.getAsLong();
            now = System.nanoTime();
        } while (now < end);
        return String.format("{\"ops\": %d, \"seconds\": %.6f}", ops, (now - start) / 1e9);
    }
}
