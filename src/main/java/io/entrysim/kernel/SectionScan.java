package io.entrysim.kernel;

import io.entrysim.assemble.AssemblerConfig;
import io.entrysim.assemble.Insn;
import io.entrysim.assemble.Program;
import io.entrysim.parse.Arg;
import io.entrysim.parse.DirectiveStmt;
import io.entrysim.parse.Statement;
import io.entrysim.parse.StatementParser;
import io.entrysim.source.SourceLine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recovers the assembler's section placement (name -> base) from the expanded statements, by
 * replaying the rule of {@code Assembler.section()}: {@code .text} first, then every section in
 * order of first use, code and data sections each stacked from their base one stride apart,
 * per-CPU sections at 0 (left out: they live in the per-CPU area). The {@code Program} does not
 * expose its sections yet; once it does, this scan can go. {@link #scan(List, AssemblerConfig,
 * Program)} cross-checks the result against the instruction addresses.
 */
public final class SectionScan {
    private SectionScan() {}

    public static List<SectionExtent> scan(List<SourceLine> statements, AssemblerConfig config, Program program) {
        List<SectionExtent> out = scan(statements, config);
        for (Insn insn : program.code()) {
            if (out.stream().noneMatch(s -> s.code() && s.contains(insn.address))) {
                throw new IllegalStateException("section scan out of step with the assembler: no code section holds 0x"
                    + Long.toHexString(insn.address) + " ('" + insn.text + "')");
            }
        }
        return out;
    }

    public static List<SectionExtent> scan(List<SourceLine> statements, AssemblerConfig config) {
        Map<String, SectionExtent> sections = new LinkedHashMap<>();
        int[] counts = new int[2]; // code, data
        create(sections, counts, config, ".text", true);
        StatementParser parser = null;
        for (SourceLine line : statements) {
            String t = line.text();
            if (!(t.contains("section") || t.contains(".text") || t.contains(".data") || t.contains(".bss"))) {
                continue;
            }
            if (parser == null) {
                parser = new StatementParser();
            }
            for (Statement s : parser.parse(line)) {
                if (s instanceof DirectiveStmt d) {
                    directive(d, sections, counts, config);
                }
            }
        }
        List<SectionExtent> out = new ArrayList<>();
        for (SectionExtent e : sections.values()) {
            if (!e.name().startsWith(AssemblerConfig.PERCPU_SECTION_PREFIX)) {
                out.add(e);
            }
        }
        return out;
    }

    private static void directive(DirectiveStmt d, Map<String, SectionExtent> sections, int[] counts,
                                  AssemblerConfig config) {
        switch (d.name()) {
            case ".text" -> create(sections, counts, config, ".text", true);
            case ".data" -> create(sections, counts, config, ".data", false);
            case ".bss" -> create(sections, counts, config, ".bss", false);
            case ".section", ".pushsection" -> {
                if (d.args().isEmpty()) {
                    return;
                }
                String name = d.args().get(0).asName();
                if (name == null) {
                    return;
                }
                String flags = d.args().size() > 1 && d.args().get(1) instanceof Arg.StringArg s ? s.value() : null;
                boolean code = flags != null ? flags.contains("x") : name.equals(".text") || name.startsWith(".text.")
                    || name.endsWith(".text") || name.contains(".text.");
                create(sections, counts, config, name, code);
            }
            default -> {
                // not a section switch
            }
        }
    }

    private static void create(Map<String, SectionExtent> sections, int[] counts, AssemblerConfig config,
                               String name, boolean code) {
        if (sections.containsKey(name)) {
            return;
        }
        long base;
        if (name.startsWith(AssemblerConfig.PERCPU_SECTION_PREFIX)) {
            base = 0;
        } else if (code) {
            base = config.codeBase() + config.stride() * counts[0]++;
        } else {
            base = config.dataBase() + config.stride() * counts[1]++;
        }
        sections.put(name, new SectionExtent(name, base, config.stride(), code));
    }
}
