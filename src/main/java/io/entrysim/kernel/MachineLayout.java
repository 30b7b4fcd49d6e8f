package io.entrysim.kernel;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.entrysim.assemble.AssemblerConfig;
import io.entrysim.assemble.Program;
import io.entrysim.assemble.SectionExtent;
import io.entrysim.cpu.AddressSpace;
import io.entrysim.cpu.Canonical;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Region;
import io.entrysim.diag.AsmError;
import io.entrysim.source.SourceLine;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The memory map of a machine (`--machine flat|pti|FILE`): which address ranges each half of the
 * PTI PGD pair maps, and the named addresses users can type ({@code entry_stack_top}).
 *
 * <p>Three kinds of mapping: absolute {@link #regions()}; {@link #sections() section rules} for
 * what the assembler placed (a section gets the first rule whose pattern matches its name; code
 * sections are executable, others not; a section no rule matches is not mapped at all); and
 * {@link #userMappedPerCpu() user-mapped per-CPU variables} (4.9's DECLARE_PER_CPU_USER_MAPPED),
 * mapped in both views at {@link #percpuBase()} + the symbol's offset. Where mappings overlap,
 * the later wins in this order: regions in declaration order, then sections, then per-CPU
 * variables, so a variable can be user-mapped inside a kernel-only per-CPU area.
 *
 * <p>The {@link #flat()} machine maps everything canonical in both views and installs no access
 * check at all: the behaviour of a machine without PTI.
 */
public record MachineLayout(String name, boolean flatMemory, List<Region> regions, List<SectionRule> sections,
                            List<UserMappedVariable> userMappedPerCpu, Map<String, Long> symbols,
                            Map<String, Long> placements, List<Alias> aliases, Map<String, Long> tss,
                            List<IdtEntry> idt) {

    /** {@code size} bytes at {@code start} are the same memory as those at {@code target} (page granular). */
    public record Alias(String name, long start, long size, long target) {}

    /**
     * An IDT gate: {@code vector} -> the program's symbol {@code handler}, on IST {@code ist} (0:
     * none); {@code where} is the machine-file line that asked for it (null: the command line).
     */
    public record IdtEntry(int vector, String handler, int ist, io.entrysim.diag.Origin where) {
        public IdtEntry(int vector, String handler, int ist) {
            this(vector, handler, ist, null);
        }
    }

    /**
     * Where an assembler section is mapped. {@code pattern} is a name, {@code *} matching any run
     * of characters. {@code userPage} null means "from the address" (lower half: user pages).
     */
    public record SectionRule(String pattern, boolean userView, boolean kernelView, boolean writable, Boolean userPage) {
        public boolean matches(String section) {
            return globMatches(pattern, section);
        }
    }

    /**
     * {@code *} matches any run of characters, everything else itself. Greedy with one backtrack
     * point (the last {@code *}): O(pattern x name) at worst, where a regex of {@code .*} runs
     * backtracks exponentially ({@code ****...Z} against a long name never finished).
     */
    static boolean globMatches(String pattern, String name) {
        int p = 0;
        int n = 0;
        int star = -1;
        int resume = 0;
        while (n < name.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                resume = n;
            } else if (p < pattern.length() && pattern.charAt(p) == name.charAt(n)) {
                p++;
                n++;
            } else if (star >= 0) {
                p = star + 1;
                n = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    /** A per-CPU variable mapped in the user page tables too ({@code size} bytes at its offset). */
    public record UserMappedVariable(String symbol, long size) {}

    public static final String BUILTIN_RESOURCE_ROOT = "/io/entrysim/kernel/machines/";

    public MachineLayout {
        regions = ImmutableList.copyOf(regions);
        sections = ImmutableList.copyOf(sections);
        userMappedPerCpu = ImmutableList.copyOf(userMappedPerCpu);
        symbols = ImmutableMap.copyOf(symbols);
        placements = ImmutableMap.copyOf(placements);
        aliases = ImmutableList.copyOf(aliases);
        tss = ImmutableMap.copyOf(tss);
        idt = ImmutableList.copyOf(idt);
    }

    /** No PTI: both views map every canonical address, as supervisor pages, RWX. */
    public static MachineLayout flat() {
        return new MachineLayout("flat", true, List.of(
                new Region("lower-half", 0, Canonical.LOWER_HALF_END, true, true, true, true, false),
                new Region("upper-half", Canonical.UPPER_HALF, -Canonical.UPPER_HALF, true, true, true, true, false)),
            List.of(new SectionRule("*", true, true, true, false)), List.of(),
            Map.of("kernel_stack_top", MachineDefaults.STACK_TOP, "percpu_base", MachineDefaults.PERCPU_BASE), Map.of(), List.of(),
            Map.of(), List.of());
    }

    /** The built-in PTI machine modeled on v4.15 (resource {@code machines/pti.machine}, documented in docs/machine-description.md). */
    public static MachineLayout pti() {
        return builtin("pti");
    }

    /** {@code flat}, {@code pti}, or else the path of a machine-description file. */
    public static MachineLayout named(String spec) {
        return switch (spec) {
            case "flat" -> flat();
            case "pti" -> pti();
            default -> load(Path.of(spec));
        };
    }

    public static MachineLayout load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AsmError(null, file + ": cannot read machine description: "
                + (e instanceof java.nio.file.NoSuchFileException ? "No such file or directory" : e.getMessage()));
        }
        return parse(file.toString(), text);
    }

    /** Parses machine-description text; errors are {@link AsmError}s at {@code displayName:line:col}. */
    public static MachineLayout parse(String displayName, String text) {
        return new MachineFileParser(displayName).parse(text);
    }

    private static MachineLayout builtin(String name) {
        String path = BUILTIN_RESOURCE_ROOT + name + ".machine";
        try (InputStream in = MachineLayout.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return parse("<entrysim-machine>/" + name + ".machine", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the per-CPU area starts (GS.base in the kernel): the {@code percpu_base} symbol, else the default. */
    public long percpuBase() {
        return symbols.getOrDefault("percpu_base", MachineDefaults.PERCPU_BASE);
    }

    /** Where RSP starts: the {@code kernel_stack_top} symbol, else the default kernel stack. */
    public long kernelStackTop() {
        return symbols.getOrDefault("kernel_stack_top", MachineDefaults.STACK_TOP);
    }

    /**
     * Every mapping as concrete regions, for a program whose sections are {@code placed} and
     * whose per-CPU symbols have the offsets {@code perCpuOffset} gives (null: the program does
     * not have that variable, so it is skipped).
     */
    public List<Region> resolve(List<SectionExtent> placed, Function<String, Long> perCpuOffset) {
        List<Region> out = new ArrayList<>(regions);
        for (SectionExtent s : placed) {
            for (SectionRule rule : sections) {
                if (rule.matches(s.name())) {
                    boolean userPage = rule.userPage() != null ? rule.userPage()
                        : Long.compareUnsigned(s.base(), Canonical.LOWER_HALF_END) < 0;
                    out.add(new Region(s.name(), s.base(), s.size(), rule.userView(), rule.kernelView(), s.code(),
                        rule.writable(), userPage));
                    break;
                }
            }
        }
        for (UserMappedVariable v : userMappedPerCpu) {
            Long offset = perCpuOffset.apply(v.symbol());
            if (offset != null) {
                long start = percpuBase() + offset;
                if (Long.compareUnsigned(start + v.size() - 1, start) < 0) {
                    throw new AsmError(null, String.format("machine %s: percpu-user %s: 0x%x bytes at 0x%x wrap past"
                            + " 2^64", name, v.symbol(), v.size(), start));
                }
                out.add(new Region("percpu " + v.symbol(), percpuBase() + offset, v.size(), true, true, false, true,
                    false));
            }
        }
        return out;
    }

    /** Per-CPU offsets: the program's own symbols, then the fixed {@link PerCpuLayout}. */
    public static Function<String, Long> perCpuOffsets(Program program) {
        return name -> {
            Long v = program.symbols().get(name);
            return v != null ? v : PerCpuLayout.known().get(name);
        };
    }

    /** User-mapped per-CPU variables this program has no offset for (worth a warning: a typo?). */
    public List<String> unresolvedPerCpu(Program program) {
        Function<String, Long> offsets = perCpuOffsets(program);
        return userMappedPerCpu.stream().map(UserMappedVariable::symbol).filter(s -> offsets.apply(s) == null).toList();
    }

    /**
     * Installs this machine's page tables on {@code cpu} for {@code program} (whose sections it
     * maps by name).
     * The flat machine installs nothing (no check: existing behaviour, no cost) and returns null.
     */
    public AddressSpace install(Cpu cpu, Program program) {
        if (flatMemory) {
            cpu.memory().setAccessChecker(null);
            return null;
        }
        return AddressSpace.install(cpu, resolve(program.sections(), perCpuOffsets(program)));
    }
}
