package io.entrysim.session;

import io.entrysim.assemble.Assembler;
import io.entrysim.assemble.AssemblerConfig;
import io.entrysim.assemble.Mnemonics;
import io.entrysim.assemble.NoSuchInstruction;
import io.entrysim.assemble.Program;
import io.entrysim.diag.AsmError;
import io.entrysim.diag.InternalFailure;
import io.entrysim.diag.Origin;
import io.entrysim.kernel.BootPatching;
import io.entrysim.kernel.KernelDefaults;
import io.entrysim.kernel.KernelTree;
import io.entrysim.kernel.PerCpuLayout;
import io.entrysim.kernel.ShimMode;
import io.entrysim.kernel.Shims;
import io.entrysim.macro.ExpanderConfig;
import io.entrysim.macro.GasMacroExpander;
import io.entrysim.macro.Warning;
import io.entrysim.parse.GasConditionEvaluator;
import io.entrysim.parse.Statement;
import io.entrysim.parse.StatementParser;
import io.entrysim.diag.AsmWarning;
import io.entrysim.source.ClasspathRoot;
import io.entrysim.source.DirectoryRoot;
import io.entrysim.source.IncludeRoot;
import io.entrysim.source.Preprocessor;
import io.entrysim.source.PreprocessorConfig;
import io.entrysim.source.SourceFile;
import io.entrysim.source.SourceLine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The front end, stage by stage: cpp, GNU as macros, parse, assemble. */
public final class Toolchain {
    private Toolchain() {}

    public static Build build(Path file, BuildOptions options) {
        return build(options, pre -> pre.preprocess(file));
    }

    /** For in-memory sources (tests, the differential harness). */
    public static Build build(SourceFile source, BuildOptions options) {
        return build(options, pre -> pre.preprocess(source));
    }

    /**
     * Parses one statement. A line whose first word is neither a directive nor an instruction
     * entrysim assembles (a misspelt or undefined macro, say) gets gas's "no such instruction"
     * (or "entrysim does not model") rather than the grammar's complaint about its arguments.
     */
    private static List<Statement> parse(StatementParser parser, SourceLine line) {
        try {
            return parser.parse(line);
        } catch (AsmError e) {
            String text = line.text().strip();
            java.util.regex.Matcher m = FIRST_WORD.matcher(text);
            if (m.lookingAt() && !text.startsWith(".") && !text.contains(":")
                    && !Mnemonics.isKnown(m.group().toLowerCase(java.util.Locale.ROOT))) {
                throw NoSuchInstruction.forMnemonic(line.origin(), text, m.group());
            }
            throw e;
        }
    }

    /**
     * Runs one stage; an exception that is not a diagnostic (a bug in entrysim, found or not yet)
     * becomes an {@link InternalFailure} at the line or statement the stage was processing.
     */
    static <T> T stage(String name, java.util.function.Supplier<Origin> where, java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (AsmError e) {
            throw e;
        } catch (RuntimeException | StackOverflowError bug) {
            Origin at;
            try {
                at = where.get();
            } catch (RuntimeException unknown) {
                at = null;
            }
            throw new InternalFailure(at, name, bug);
        }
    }

    /** Why a word is not an instruction: a macro defined later, or (with a kernel tree) one the tree defines elsewhere. */
    private static String whyNot(GasMacroExpander expander, BuildOptions options, String word) {
        String note = expander.whyNotAMacro(word);
        if (note == null && options.kernelTree() != null) {
            note = options.kernelTree().macroDefinedIn(word)
                    .map(at -> "`" + word + "' is a macro of this tree, defined at " + at
                            + ", which this file does not include, or includes under another configuration")
                    .orElse(null);
        }
        return note;
    }

    private static final java.util.regex.Pattern FIRST_WORD = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");

    /**
     * Several translation units assembled into one program, as separately assembled objects
     * linked together: each unit gets its own cpp (macros, include guards) and its own gas
     * macros, while symbols and the {@code \@} counter are shared (so a unit's {@code .L}
     * labels from macros do not collide). Used to run a tree's entry_64.S with entry_64_compat.S,
     * which both include calling.h.
     */
    public static Build build(List<SourceFile> units, BuildOptions options) {
        List<java.util.function.Function<Preprocessor, List<SourceLine>>> inputs = new ArrayList<>();
        for (SourceFile unit : units) {
            inputs.add(pre -> pre.preprocess(unit));
        }
        return build(options, inputs);
    }

    private static Build build(BuildOptions options, java.util.function.Function<Preprocessor, List<SourceLine>> input) {
        return build(options, List.of(input));
    }

    private static Build build(BuildOptions options, List<java.util.function.Function<Preprocessor, List<SourceLine>>> units) {
        List<IncludeRoot> roots = new ArrayList<>();
        if (options.shims() == ShimMode.FIRST) {
            roots.add(new ClasspathRoot(Shims.RESOURCE_ROOT, Shims.DISPLAY_ROOT));
        }
        for (Path dir : options.includeDirs()) {
            roots.add(new DirectoryRoot(dir));
        }
        KernelTree tree = options.kernelTree();
        List<String> forced = new ArrayList<>(options.forcedIncludes());
        Map<String, String> defines = new LinkedHashMap<>(KernelDefaults.DEFINES);
        if (tree != null) {
            // as Kbuild: the tree's directories, then what a build would have generated, then its entry dir
            tree.includeDirs().forEach(d -> roots.add(new DirectoryRoot(d)));
            roots.add(tree.supplied());
            roots.add(new DirectoryRoot(tree.entryDir()));
            forced.addAll(tree.forcedIncludes());
            defines.putAll(tree.defines());
        }
        if (options.shims() == ShimMode.FALLBACK) {
            roots.add(new ClasspathRoot(Shims.RESOURCE_ROOT, Shims.DISPLAY_ROOT));
        }
        defines.putAll(options.defines());
        PreprocessorConfig cppConfig = new PreprocessorConfig(roots, defines, options.undefines(), forced);
        GasConditionEvaluator conditions = new GasConditionEvaluator();
        GasMacroExpander expander = new GasMacroExpander(conditions,
                new ExpanderConfig(options.featureBits(), options.staticKeys(), 100));
        List<Preprocessor> cpps = new ArrayList<>();
        List<SourceLine> statements = new ArrayList<>();
        for (java.util.function.Function<Preprocessor, List<SourceLine>> unit : units) {
            Preprocessor unitCpp = new Preprocessor(cppConfig);
            cpps.add(unitCpp);
            List<SourceLine> lines = stage("cpp", unitCpp::where, () -> unit.apply(unitCpp));
            if (statements.size() > 0 || cpps.size() > 1) {
                expander.forgetMacros();    // a unit's gas macros are its own
            }
            statements.addAll(stage("macro expansion", expander::where, () -> expander.expand(lines)));
        }
        Preprocessor cpp = cpps.get(0);

        StatementParser parser = new StatementParser();
        List<Statement> parsed = new ArrayList<>(statements.size());
        SourceLine[] parsing = new SourceLine[1];
        try {
            stage("parse", () -> parsing[0] == null ? null : parsing[0].origin(), () -> {
                for (SourceLine line : statements) {
                    parsing[0] = line;
                    parsed.addAll(parse(parser, line));
                }
                return parsed;
            });
        } catch (NoSuchInstruction e) {
            throw e.withNote(whyNot(expander, options, e.mnemonic()));
        }

        PerCpuLayout percpu = new PerCpuLayout();
        Map<String, Long> linkerSymbols = options.machine().symbols();
        // Per-CPU references first; then what the machine's "linker script" provides; the
        // rest (C functions, tables) become stubs when allowed.
        AssemblerConfig config = AssemblerConfig.defaults((name, perCpu) ->
                perCpu || PerCpuLayout.known().containsKey(name) ? Long.valueOf(percpu.offsetOf(name)) : linkerSymbols.get(name))
                .withSectionBases(options.machine().placements());
        if (options.stubUndefined()) {
            config = config.withExternBase(KernelDefaults.EXTERN_BASE);
        }
        Assembler assembler = new Assembler(config);
        Program program;
        try {
            program = stage("assemble", assembler::where, () -> assembler.assemble(parsed));
        } catch (NoSuchInstruction e) {
            throw e.withNote(whyNot(expander, options, e.mnemonic()));
        }

        // What the kernel does to itself at boot: tables only the tree's real headers emit.
        Map<String, Long> names = new LinkedHashMap<>(program.symbols());
        names.putAll(assembler.externals());
        Program assembled = program;
        BootPatching boot = stage("boot patching", () -> null, () -> BootPatching.apply(assembled,
                options.featureBits(), options.staticKeys(), names));
        program = boot.program();

        List<AsmWarning> warnings = new ArrayList<>();
        cpps.forEach(c -> warnings.addAll(c.warnings()));
        List<String> printed = new ArrayList<>();
        for (Warning w : expander.warnings()) {
            if (w.kind() == Warning.Kind.PRINT) {
                printed.add(w.message());
            } else {
                warnings.add(new AsmWarning(w.origin(), w.message()));
            }
        }
        // The macro stage folds .set values too (for .if): what the assembler says again is its to say.
        Map<AsmWarning, Integer> again = new java.util.HashMap<>();
        assembler.warnings().forEach(w -> again.merge(w, 1, Integer::sum));
        for (AsmWarning w : conditions.warnings()) {
            if (again.getOrDefault(w, 0) > 0) {
                again.merge(w, -1, Integer::sum);
            } else {
                warnings.add(w);
            }
        }
        warnings.addAll(assembler.warnings());
        warnings.addAll(boot.warnings());
        for (String key : options.staticKeys().keySet()) {
            if (!expander.staticKeysConsulted().contains(key) && !boot.keysFound().contains(key)) {
                warnings.add(new AsmWarning(null, "--static-key " + key + " is never tested by the program"));
            }
        }
        return new Build(program, cpp, statements, percpu.autoAllocated(), assembler.externals(), warnings,
                List.copyOf(printed), options, boot.patched());
    }
}
