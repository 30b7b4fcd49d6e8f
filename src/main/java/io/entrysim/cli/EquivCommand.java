package io.entrysim.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.entrysim.diag.AsmError;
import io.entrysim.equiv.Dimension;
import io.entrysim.equiv.Equivalence;
import io.entrysim.equiv.Observed;
import io.entrysim.equiv.OverClauses;
import io.entrysim.options.MachineOptions;
import io.entrysim.parallel.Workers;
import io.entrysim.session.RunSpec;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code entrysim equiv A.S B.S}: runs two variants from the same input states ({@code --over})
 * and compares what is observable. Exit 0 when equivalent over every state tried, 3 with a
 * shrunk counterexample, 1 for bad input.
 */
@Command(name = "equiv", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = "Run two variants from the same input states and compare CR3 writes, GPRs, written memory, faults and violations.")
public final class EquivCommand implements Callable<Integer> {
    static final int DIFFERENT = 3;
    /** Trace rows shown side by side from the point the variants diverge. */
    static final int TRACE_ROWS = 30;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A.S")
    Path a;

    @Parameters(index = "1", paramLabel = "B.S")
    Path b;

    @Mixin
    MachineOptions machine;

    @Option(names = "--entry-a", paramLabel = "LABEL", description = "where A starts (default: --entry, else its first instruction)")
    String entryA;

    @Option(names = "--entry-b", paramLabel = "LABEL", description = "where B starts")
    String entryB;

    @Option(names = "--over", paramLabel = "CLAUSE",
            description = "an input dimension: 'REG in {..}', 'REG in LO..HI', 'mem ADDR:SIZE in *', 'feature in {PTI,PTI+PCID}', 'static-key K in {0,1}'")
    List<String> over = new ArrayList<>();

    @Option(names = "--ignore", split = ",", paramLabel = "REG", description = "registers not to compare (scratch)")
    List<String> ignore = new ArrayList<>();

    @Option(names = "--flags", description = "compare RFLAGS too")
    boolean flags;

    @Option(names = "--stack", description = "compare writes below the entry RSP too")
    boolean stack;

    @Option(names = "--max-states", paramLabel = "N", defaultValue = "1000000", description = "enumerate at most N states, else sample N (default ${DEFAULT-VALUE})")
    long maxStates;

    @Option(names = "--random", paramLabel = "N", defaultValue = "1000", description = "random values for a domain wider than 16 bits (default ${DEFAULT-VALUE})")
    int random;

    @Option(names = "--seed", paramLabel = "N", description = "seed for sampling (printed; default: from the clock)")
    Long seed;

    @Option(names = "--json", description = "print the verdict as one JSON object")
    boolean json;

    @Option(names = "--nmi", paramLabel = "each",
            description = "also compare with an NMI before each instruction boundary of each variant (through --idt 2=..., default 2=nmi:2)")
    String nmi;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N",
            description = "compare N states (or NMI boundaries) at once (default: the number of cores); the verdict is the same for any N")
    int jobs = Workers.available();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (Path p : List.of(a, b)) {
            if (!Files.isRegularFile(p)) {
                throw new AsmError(null, p + (Files.isDirectory(p) ? ": Is a directory" : ": No such file"));
            }
        }
        if (jobs < 1) {
            throw new AsmError(null, "--jobs must be at least 1, not " + jobs);
        }
        if (maxStates < 1) {
            throw new AsmError(null, "--max-states must be at least 1, not " + maxStates);
        }
        long s = seed != null ? seed : System.nanoTime();
        Random rng = new Random(s);
        List<Dimension> dims = new ArrayList<>();
        for (String clause : over) {
            dims.add(OverClauses.parse(clause, random, rng));
        }
        Set<String> ignored = new LinkedHashSet<>();
        for (String r : ignore) {
            ignored.add(r.strip().replaceFirst("^%", "").toLowerCase(java.util.Locale.ROOT));
        }
        boolean nmiEach = nmi != null;
        if (nmiEach && !nmi.equals("each")) {
            throw new AsmError(null, "--nmi takes `each', not `" + nmi + "'");
        }
        RunSpec run = machine.runSpec();
        if (nmiEach && run.idt().stream().noneMatch(g -> g.vector() == io.entrysim.cpu.Vectors.NMI)) {
            // the kernel's own arrangement: the handler `nmi' on IST 2
            List<io.entrysim.kernel.MachineLayout.IdtEntry> idt = new ArrayList<>(run.idt());
            idt.add(new io.entrysim.kernel.MachineLayout.IdtEntry(io.entrysim.cpu.Vectors.NMI, "nmi", 2));
            run = run.withIdt(idt);
        }
        RunSpec runA = entryA != null ? run.withEntry(entryA) : run;
        RunSpec runB = entryB != null ? run.withEntry(entryB) : run;
        Equivalence.Verdict v;
        try (Workers workers = Workers.of(jobs)) {
            v = new Equivalence(new Equivalence.Settings(a, b, machine.buildOptions(), runA, runB, dims,
                    ignored, flags, stack, maxStates, s, nmiEach), workers).run();
        }
        if (json) {
            out.println(json(v));
        } else {
            text(out, v);
        }
        out.flush();
        return v.difference() == null ? ExitStatus.OK : DIFFERENT;
    }

    private void text(PrintWriter out, Equivalence.Verdict v) {
        String how = v.exhaustive() ? "" : " (sampled, seed " + v.seed() + ")";
        if (v.difference() == null) {
            out.println("equivalent over " + v.states() + " states" + how);
            return;
        }
        Equivalence.Difference d = v.difference();
        out.println("different" + how + ", after " + v.states() + " states; smallest counterexample:");
        out.println("  state: " + (d.state().isEmpty() ? "(the starting state)" : String.join(" ", d.state())));
        out.println("  " + d.what() + ": A " + d.valueA() + ", B " + d.valueB());
        out.println("traces from where they diverge (A | B):");
        List<String> ta = d.a().trace();
        List<String> tb = d.b().trace();
        int first = 0;
        while (first < ta.size() && first < tb.size() && text(ta.get(first)).equals(text(tb.get(first)))) {
            first++;
        }
        int from = Math.max(0, first - 2);
        for (int i = from; i < Math.min(Math.max(ta.size(), tb.size()), from + TRACE_ROWS); i++) {
            String x = i < ta.size() ? ta.get(i) : "";
            String y = i < tb.size() ? tb.get(i) : "";
            out.printf("%5d %-60s | %s%n", i + 1, x, y);
        }
    }

    /** A trace line without its location: what the instruction is. */
    private static String text(String traceLine) {
        int gap = traceLine.indexOf("  ");
        return gap < 0 ? traceLine : traceLine.substring(gap + 2);
    }

    private static JsonObject json(Equivalence.Verdict v) {
        JsonObject o = new JsonObject();
        o.addProperty("equivalent", v.difference() == null);
        o.addProperty("states", v.states());
        o.addProperty("exhaustive", v.exhaustive());
        o.addProperty("seed", v.seed());
        if (v.difference() != null) {
            Equivalence.Difference d = v.difference();
            JsonObject c = new JsonObject();
            JsonArray state = new JsonArray();
            d.state().forEach(state::add);
            c.add("state", state);
            c.addProperty("observable", d.what());
            c.addProperty("a", d.valueA());
            c.addProperty("b", d.valueB());
            c.add("trace_a", array(d.a()));
            c.add("trace_b", array(d.b()));
            o.add("counterexample", c);
        }
        return o;
    }

    private static JsonArray array(Observed o) {
        JsonArray t = new JsonArray();
        o.trace().forEach(t::add);
        return t;
    }
}
