package io.entrysim.assemble;

import io.entrysim.parse.Arg;
import io.entrysim.parse.AssignStmt;
import io.entrysim.parse.DirectiveStmt;
import io.entrysim.parse.Expr;
import io.entrysim.parse.ExprEvaluator;
import io.entrysim.parse.InstructionStmt;
import io.entrysim.parse.LabelStmt;
import io.entrysim.parse.Statement;
import io.entrysim.parse.UnresolvedSymbolException;
import io.entrysim.diag.AsmError;
import io.entrysim.diag.Origin;
import io.entrysim.isa.RegisterNames;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Turns parsed statements into a {@link Program} as gas does: layout walks define every label
 * and size every item, each walk seeing the previous walk's addresses for forward references
 * ({@code .skip 2f - 1f}), until no label moves (gas's relaxation to a fixed point); then a final
 * walk evaluates every expression with all symbols known, emits data and decodes each
 * instruction once. Sections have fixed bases, so only offsets inside a section settle.
 */
public final class Assembler {
    private final AssemblerConfig config;
    private final SymbolTable symbols = new SymbolTable();
    private final Map<String, Section> sections = new LinkedHashMap<>();
    /** .pushsection saves both the current and the previous section, as gas does, so .previous works after .popsection. */
    private final Deque<Section[]> sectionStack = new ArrayDeque<>();
    private final List<PendingInsn> pending = new ArrayList<>();
    private final Map<String, Long> autoSymbols = new LinkedHashMap<>();
    private final Externals externals;
    private final List<io.entrysim.diag.AsmWarning> warnings = new ArrayList<>();
    private Section current;
    private Section previous;
    /** A layout walk (sizes and labels; values not needed yet), as opposed to the final emitting walk. */
    private boolean firstPass;
    /** The first layout walk: where gas reads the source, so where redefinitions are reported. */
    private boolean firstWalk;
    /** The layout walk under way, from 1. */
    private int walk;
    /** A size or count in this walk used a symbol not known yet: another walk is needed. */
    private boolean unsettled;
    /** Alignment directives by statement position: their alignment and section. */
    private final java.util.TreeMap<Integer, Long> alignments = new java.util.TreeMap<>();
    private final Map<Integer, Section> alignmentSections = new java.util.HashMap<>();
    /** The length of each instruction that is not a direct branch, by statement position (fixed once laid out). */
    private final Map<Integer, Integer> fixedLengths = new java.util.HashMap<>();
    /** Each direct branch's address in the previous layout walk, by statement position. */
    private final Map<Integer, Long> previousWalkAddress = new java.util.HashMap<>();
    /** Direct jmp/jcc (by statement position) laid out in their near form: once near, near for good. */
    private final java.util.BitSet nearBranches = new java.util.BitSet();
    /** Whether each expression was an absolute number where gas read it (the first walk). */
    private final Map<Expr, java.util.Optional<Long>> absoluteInFirstWalk = new java.util.IdentityHashMap<>();
    /** Decodes instructions during layout, with symbols not known yet as 0 (only sizes matter then). */
    private final InstructionDecoder layoutDecoder = new InstructionDecoder(this, new TreeMap<>());
    /** Layout walks before giving up on a layout that does not settle. */
    static final int MAX_LAYOUT_WALKS = 64;
    private int position;
    private int codeSections;
    private int dataSections;
    private List<String> pendingPrefixes = List.of();
    private Origin currentOrigin;
    /**
     * Tests only: called before each statement of every walk on this thread, so a test can make
     * the assembler fail as a bug would and check the failure is reported, not thrown.
     */
    static final ThreadLocal<java.util.function.Consumer<Statement>> FAULT_INJECTION = new ThreadLocal<>();
    /** The statement being assembled (for diagnostics that have no better place). */
    private Origin at;
    /** Instruction addresses (pass 1) to indices, in address order. */
    private NavigableMap<Long, Integer> indexByAddress;
    private InstructionDecoder decoder;
    private Insn[] decoded;
    /** The last assignment ({@code .set}, {@code =}) of each symbol, by statement position. */
    private final Map<String, Integer> lastAssignment = new java.util.HashMap<>();
    /** The location counter at each assignment in the last layout walk (what {@code .} means there). */
    private final Map<Integer, Long> assignmentDot = new java.util.HashMap<>();
    /** Values of assignments computed ahead of their statement in the final walk (see {@link #ahead}). */
    private final Map<String, Long> aheadValues = new java.util.HashMap<>();
    /** The symbol whose assignment the final walk is evaluating, when it has no value yet. */
    private String assigning;
    private List<Statement> statements = List.of();
    /** The program's own per-CPU sections start at offset 0 and must stay below the fixed variables. */
    static final long PERCPU_SECTION_ROOM = 0x1000;

    /** An instruction seen in pass 1, decoded in pass 2 once every label is known. */
    private record PendingInsn(InstructionStmt stmt, List<String> prefixes, long address, int length, int position) {}

    public Assembler(AssemblerConfig config) {
        this.config = config;
        this.externals = new Externals(config.externBase());
    }

    /** Symbols the program uses but never defines, given stubs (name -> address), in first-use order. */
    public Map<String, Long> externals() {
        return externals.addresses();
    }

    boolean isExternal(long address) {
        return externals.contains(address);
    }

    public Program assemble(List<Statement> statements) {
        this.statements = statements;
        for (int k = 0; k < statements.size(); k++) {
            if (statements.get(k) instanceof AssignStmt a) {
                lastAssignment.put(a.symbol(), k);
            }
        }
        firstPass = true;
        for (int n = 1; ; n++) {
            walk = n;
            firstWalk = n == 1;
            symbols.beginWalk();
            unsettled = false;
            pending.clear();
            walk(statements);
            // Settled: nothing moved since the previous walk (a symbol still unknown now is
            // undefined, which the final walk reports where it is used).
            boolean settled = !unsettled && (firstWalk || !symbols.moved());
            if (settled) {
                break;
            }
            if (n == MAX_LAYOUT_WALKS) {
                throw new AsmError(symbols.firstMove(), "the layout does not settle after " + n
                        + " passes (a size that depends on itself?): this label still moves");
            }
            sections.values().forEach(sec -> sec.rewind(false));
        }
        firstPass = false;
        firstWalk = false;
        sections.values().forEach(sec -> sec.rewind(true));
        prepareDecoding();
        walk(statements);
        return build();
    }

    /**
     * After pass 1 every instruction has its address: index them in address order (stable, so
     * source order within a section), so pass 2 can decode each instruction where it stands and
     * see {@code .set} symbols with the value they have at that point, as gas does.
     */
    private void prepareDecoding() {
        pending.sort(java.util.Comparator.comparingLong(PendingInsn::address));
        indexByAddress = new TreeMap<>();
        for (int k = 0; k < pending.size(); k++) {
            indexByAddress.put(pending.get(k).address, k);
        }
        decoder = new InstructionDecoder(this, indexByAddress);
        decoded = new Insn[pending.size()];
    }

    /** Symbols the environment supplied for undefined references (e.g. auto-allocated per-CPU ones). */
    public Map<String, Long> autoSymbols() {
        return autoSymbols;
    }

    private void walk(List<Statement> statements) {
        sectionStack.clear();
        previous = null;
        current = section(".text", true);
        pendingPrefixes = List.of();
        position = 0;
        java.util.function.Consumer<Statement> inject = FAULT_INJECTION.get();
        for (Statement s : statements) {
            at = s.origin();
            if (inject != null) {
                inject.accept(s);
            }
            statement(s);
            position++;
        }
    }

    private void statement(Statement s) {
        if (s instanceof LabelStmt l) {
            label(l);
        } else if (s instanceof AssignStmt a) {
            assign(a);
        } else if (s instanceof DirectiveStmt d) {
            new Directives(this).apply(d);
        } else if (s instanceof InstructionStmt i) {
            instruction(i);
        }
    }

    private void label(LabelStmt l) {
        String name = l.name();
        if (!name.isEmpty() && Character.isDigit(name.charAt(0))) {
            symbols.defineLocal(Integer.parseInt(name), position, current.dot(), l.origin());
        } else {
            symbols.defineLabel(name, current.dot(), l.origin(), firstWalk);
            symbols.noteLabelPosition(name, position);
        }
    }

    private void assign(AssignStmt a) {
        if (firstPass) {
            assignmentDot.put(position, current.dot());
        } else if (symbols.value(a.symbol()) == null) {
            assigning = a.symbol(); // its own name in its value is a definition loop
        }
        Long v;
        try {
            v = tryEval(a.value(), a.origin(), false);
            if (v == null) {
                if (firstPass) {
                    return; // forward reference: pass 2 assigns it in order
                }
                v = eval(a.value(), a.origin());
            }
        } finally {
            assigning = null;
        }
        symbols.assign(a.symbol(), v, absoluteNow(a.value()) != null, a.equiv(), a.origin(), firstWalk);
    }

    /**
     * The final walk meets a symbol that an assignment further on defines but that never got a
     * value during layout (it depends on another such symbol, or on one only the environment
     * supplies): its value is computed ahead, as gas resolves a symbol through the expressions
     * it was set to, dependencies first. The walk is iterative, so a long chain of forward
     * {@code .set}s needs no deep recursion; meeting a symbol already on the chain is gas's
     * "symbol definition loop".
     *
     * @return the value, or null when {@code name} is not assigned anywhere
     */
    private Long ahead(String name, Origin where) {
        Long known = aheadValues.get(name);
        if (known != null || !lastAssignment.containsKey(name)) {
            return known;
        }
        Deque<String> chain = new ArrayDeque<>();
        java.util.Set<String> onChain = new java.util.HashSet<>();
        if (assigning != null) {
            onChain.add(assigning);
        }
        if (!onChain.add(name)) {
            throw loop(name, where);
        }
        chain.push(name);
        while (!chain.isEmpty()) {
            String sym = chain.peek();
            int at = lastAssignment.get(sym);
            AssignStmt a = (AssignStmt) statements.get(at);
            String missing = null;
            for (String dep : symbolsIn(a.value())) {
                if (symbols.value(dep) == null && !aheadValues.containsKey(dep) && lastAssignment.containsKey(dep)) {
                    if (onChain.contains(dep)) {
                        throw loop(dep, where);
                    }
                    missing = dep;
                    break;
                }
            }
            if (missing != null) {
                onChain.add(missing);
                chain.push(missing);
                continue;
            }
            long v = ExprEvaluator.eval(a.value(), resolver(false, true, where, at, assignmentDot.getOrDefault(at, 0L)));
            aheadValues.put(sym, v);
            onChain.remove(sym);
            chain.pop();
        }
        return aheadValues.get(name);
    }

    private static AsmError loop(String name, Origin where) {
        return new AsmError(where, "symbol definition loop encountered at `" + name + "'"); // gas's words
    }

    /** The symbol names an expression uses (no recursion: expressions may be long chains). */
    private static List<String> symbolsIn(Expr e) {
        List<String> out = new ArrayList<>();
        Deque<Expr> todo = new ArrayDeque<>();
        todo.push(e);
        while (!todo.isEmpty()) {
            Expr x = todo.pop();
            if (x instanceof Expr.Sym sym) {
                out.add(sym.name());
            } else if (x instanceof Expr.Unary u) {
                todo.push(u.e());
            } else if (x instanceof Expr.Binary b) {
                todo.push(b.r());
                todo.push(b.l());
            }
        }
        return out;
    }

    /**
     * The value of {@code e} if it is an absolute number here, as gas decides when it reads the
     * line (the shortest immediate or displacement then fits it): it uses only numbers and
     * symbols already set to numbers. An expression with a label, {@code .}, a symbol not yet
     * defined or one the environment supplies is not (gas uses the 32-bit form and a fix-up).
     * Label differences inside one fragment, which gas also folds, count as not absolute here.
     */
    Long absoluteNow(Expr e) {
        try {
            return ExprEvaluator.eval(e, io.entrysim.parse.SymbolResolver.ofSymbols(symbols::absoluteValue));
        } catch (UnresolvedSymbolException | io.entrysim.parse.BadExpressionException notAbsolute) {
            return null;
        }
    }

    private void instruction(InstructionStmt i) {
        if (Prefixes.isPrefixOnly(i)) {
            // "lock" on a line of its own (e.g. "672: lock") prefixes the next instruction
            pendingPrefixes = List.of(i.mnemonic());
            return;
        }
        if (!current.code) {
            throw new AsmError(i.origin(), "instruction `" + i.mnemonic() + "' in data section `" + current.name
                    + "': entrysim runs code only from executable sections");
        }
        List<String> standalone = pendingPrefixes;
        List<String> prefixes = standalone.isEmpty() ? i.prefixes() : concat(standalone, i.prefixes());
        pendingPrefixes = List.of();
        Prefixes.check(prefixes, i);
        long address = current.dot();
        if (firstPass) {
            int length = lengthOf(i, prefixes, standalone, address);
            pending.add(new PendingInsn(i, prefixes, address, length, position));
            current.advance(length, 0, i.origin());
            return;
        }
        int k = indexByAddress.get(address);
        decoder.insnCount = k;
        decoder.insnEnd = address + pending.get(k).length;
        Insn insn = decoder.decode(i, prefixes, address, nextAddress(k));
        decoded[k] = insn;
        Encoding.Request r = request(insn, i, standalone, address);
        if (r.isDirectBranch()) {
            r = r.branch(branchTarget(i), !nearBranches.get(position));
        }
        byte[] bytes = encode(r, i);
        if (bytes.length != pending.get(k).length) {
            throw new AsmError(i.origin(), "internal error: `" + i.text().trim() + "' encodes in " + bytes.length
                    + " bytes but was laid out in " + pending.get(k).length + " (please report)");
        }
        for (byte b : bytes) {
            current.emit(b, 1, i.origin());
        }
    }

    /**
     * Bytes the instruction takes: its encoding's length, a direct {@code jmp}/{@code jcc} in its
     * short form until its target is known to be out of rel8 reach, in another section or not a
     * label of this file; then the near form, for good (gas's relaxation only grows branches).
     */
    private int lengthOf(InstructionStmt i, List<String> prefixes, List<String> standalone, long address) {
        Integer fixed = fixedLengths.get(position);
        if (fixed != null) {
            return fixed;
        }
        Insn insn = layoutDecoder.decode(i, prefixes, address, address);
        Encoding.Request r = request(insn, i, standalone, address);
        if (r.isDirectBranch()) {
            Long target = branchTargetNow(i, address);
            previousWalkAddress.put(position, address);
            boolean near = nearBranches.get(position);
            // gas relaxes after reading the whole file, so its first address assignment knows
            // every label's place in its fragment. The first walk here only finds the labels;
            // the second is that first assignment (branches short); relaxing starts with the third.
            if (walk <= 2) {
                unsettled = true;
            } else if (!near && r.op() != Op.CALL) {
                long rel = target == null ? Long.MAX_VALUE : target - (address + 2);
                boolean sameSection = target != null && Long.compareUnsigned(target - current.base, config.stride()) < 0;
                near = !sameSection || rel != (byte) rel;
                nearBranches.set(position, near);
            }
            r = r.branch(target == null ? address : target, !near);
            return encodeLength(r, i);
        }
        // What gas decided reading the line does not change: nor does the length (walks 2.. reuse it)
        int length = encodeLength(r, i);
        fixedLengths.put(position, length);
        return length;
    }

    /** The encoder's request: what gas decided when it read the line is remembered from the first walk. */
    private Encoding.Request request(Insn insn, InstructionStmt i, List<String> standalone, long address) {
        return Encoding.Request.of(insn, i, standalone, this::absoluteWhereRead).at(address);
    }

    /** {@link #absoluteNow} as it was in the first walk, where gas reads the line. */
    Long absoluteWhereRead(Expr e) {
        if (firstWalk) {
            Long v = absoluteNow(e);
            absoluteInFirstWalk.put(e, java.util.Optional.ofNullable(v));
            return v;
        }
        java.util.Optional<Long> v = absoluteInFirstWalk.get(e);
        return v != null ? v.orElse(null) : absoluteNow(e);
    }

    /**
     * A direct branch's target as the layout sees it now. A label further on has its previous
     * walk's address, moved by what this walk has grown so far (gas's "stretch"), as gas's
     * relaxation pass sees a symbol in a frag it has not reached yet.
     */
    private Long branchTargetNow(InstructionStmt i, long address) {
        io.entrysim.parse.OperandAst a = i.operands().get(0);
        if (!(a instanceof io.entrysim.parse.OperandAst.MemAst m) || m.disp() == null) {
            return null;
        }
        Long target = tryEval(m.disp(), i.origin(), false);
        int targetPosition = m.disp() instanceof Expr.LocalRef l && l.forward()
                ? symbols.localPosition(l.label(), true, position)
                : m.disp() instanceof Expr.Sym sym && symbols.isLabelFurtherOn(sym.name()) ? symbols.labelPosition(sym.name()) : -1;
        Long before = previousWalkAddress.get(position);
        if (target != null && targetPosition > position && before != null) {
            target += stretchTo(address - before, targetPosition);
        }
        return target;
    }

    /**
     * What this walk's growth so far ({@code stretch}) moves a target further on by: gas rounds it
     * down to each alignment of this section in between, which absorbs growth smaller than it
     * (write.c relax_frag; like gas, the alignments' max-skip is not considered).
     */
    private long stretchTo(long stretch, int targetPosition) {
        for (Map.Entry<Integer, Long> a : alignments.subMap(position, false, targetPosition, false).entrySet()) {
            if (stretch == 0) {
                break;
            }
            if (alignmentSections.get(a.getKey()) == current) {
                long mask = ~(a.getValue() - 1);
                stretch = stretch < 0 ? -((-stretch) & mask) : stretch & mask;
            }
        }
        return stretch;
    }

    /** An alignment directive at the current statement (its section and alignment in bytes). */
    void noteAlignment(long alignment) {
        alignments.put(position, alignment);
        alignmentSections.put(position, current);
    }

    private long branchTarget(InstructionStmt i) {
        return eval(((io.entrysim.parse.OperandAst.MemAst) i.operands().get(0)).disp(), i.origin());
    }

    private static byte[] encode(Encoding.Request r, InstructionStmt i) {
        try {
            return Encoder.encode(r);
        } catch (Encoder.UnencodableException e) {
            throw new AsmError(i.origin(), e.getMessage());
        }
    }

    private static int encodeLength(Encoding.Request r, InstructionStmt i) {
        try {
            return Encoder.length(r);
        } catch (Encoder.UnencodableException e) {
            throw new AsmError(i.origin(), e.getMessage());
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** True when {@code address} holds a byte of some code section. */
    private boolean inCodeBytes(long address) {
        for (Section s : sections.values()) {
            if (s.code && Long.compareUnsigned(address - s.base, s.offset()) < 0) {
                return true;
            }
        }
        return false;
    }

    private Program build() {
        List<Insn> code = new ArrayList<>(java.util.Arrays.asList(decoded));
        externals.appendStubs(code);
        for (Map.Entry<Integer, Long> f : decoder.fixups.entrySet()) {
            Insn b = code.get(f.getKey());
            int index = externals.stubIndex(f.getValue(), code);
            if (index < 0) {
                // bytes in code that no instruction of the source starts at (ALTERNATIVE's 0x90
                // padding, .byte code) run as decoded from memory; elsewhere the run ends
                index = inCodeBytes(f.getValue()) ? -1 : code.size();
            }
            code.set(f.getKey(), b.withTarget(index));
        }
        List<DataBlock> data = new ArrayList<>(externals.dataBlocks());
        for (Section s : sections.values()) {
            checkFits(s);
            data.addAll(s.blocks());
        }
        Map<String, Long> all = symbols.snapshot();
        all.putAll(autoSymbols);
        List<SectionExtent> placed = new ArrayList<>();
        for (Section s : sections.values()) {
            if (s.offset() > 0) {
                placed.add(new SectionExtent(s.name, s.base, s.offset(), s.code));
            }
        }
        if (!externals.addresses().isEmpty()) {
            placed.add(new SectionExtent(".entrysim.extern", config.externBase(),
                    Externals.SLOT * externals.addresses().size(), true));
        }
        java.util.TreeMap<Long, Origin> origins = new java.util.TreeMap<>();
        sections.values().forEach(sec -> sec.addOrigins(origins));
        Program program = new Program(code.toArray(new Insn[0]), data, all, placed, origins);
        for (int i = 0; i < program.code().length; i++) {
            // The operand checks above follow the same forms; this only catches a disagreement.
            if (program.problem(i) != null) {
                Insn insn = program.code()[i];
                throw new AsmError(insn.origin, "entrysim cannot execute `" + insn.text + "': " + program.problem(i));
            }
        }
        return program;
    }

    /** True when {@code address} is just past an instruction (a label at the end of a run of code). */
    boolean endsAnInstruction(long address) {
        Map.Entry<Long, Integer> before = indexByAddress.lowerEntry(address);
        return before != null && before.getKey() + pending.get(before.getValue()).length == address;
    }

    /**
     * The address execution falls through to after instruction {@code k}: the next one, or
     * past alignment padding (NOPs on hardware) to the next instruction of the section.
     */
    private long nextAddress(int k) {
        long address = pending.get(k).address;
        long next = address + pending.get(k).length;
        Section s = sectionAt(address);
        Long after = indexByAddress.higherKey(address);
        if (s != null && after != null && sectionAt(after) == s && s.onlyPadding(next - s.base, after - s.base)) {
            return after;
        }
        return next;
    }

    /** The name of the section whose room holds {@code address}, or null. */
    String sectionNameAt(long address) {
        for (Section s : sections.values()) {
            if (s.base != 0 && Long.compareUnsigned(address - s.base, s.room) < 0) {
                return s.name;
            }
        }
        return null;
    }

    private Section sectionAt(long address) {
        for (Section s : sections.values()) {
            if (Long.compareUnsigned(address - s.base, Math.max(s.size, 1)) < 0) {
                return s;
            }
        }
        return null;
    }

    /** Sections have fixed bases a stride apart; one that outgrows its slot would overlap the next. */
    private void checkFits(Section s) {
        long room = s.base == 0 ? PERCPU_SECTION_ROOM : config.stride();
        if (Long.compareUnsigned(s.offset(), room) > 0) {
            throw new AsmError(null, String.format("section %s is 0x%x bytes, more than the 0x%x entrysim places it in",
                    s.name, s.offset(), room));
        }
    }

    public List<io.entrysim.diag.AsmWarning> warnings() {
        return warnings;
    }

    // ---- services for Directives and InstructionDecoder ----

    void warn(Origin where, String message) {
        io.entrysim.diag.AsmWarning w = new io.entrysim.diag.AsmWarning(where, message);
        // an expression may be folded twice on its way (a try, then the real evaluation)
        if (!firstPass && (warnings.isEmpty() || !warnings.get(warnings.size() - 1).equals(w))) {
            warnings.add(w);
        }
    }

    AssemblerConfig config() {
        return config;
    }

    boolean firstPass() {
        return firstPass;
    }

    Section current() {
        return current;
    }

    /** The section with this name, created on first use with the next free base address. */
    Section section(String name, boolean code) {
        Section s = sections.get(name);
        if (s == null) {
            long base;
            if (config.sectionBases().containsKey(name)) {
                base = config.sectionBases().get(name);
            } else if (name.startsWith(AssemblerConfig.PERCPU_SECTION_PREFIX)) {
                base = 0; // x86-64 per-CPU sections are zero-based: symbols are %gs offsets
            } else if (code) {
                base = slot(name, "code", config.codeBase(), codeSections++);
            } else {
                base = slot(name, "data", config.dataBase(), dataSections++);
            }
            s = new Section(name, code, base, base == 0 ? PERCPU_SECTION_ROOM : config.stride());
            sections.put(name, s);
        }
        return s;
    }

    /**
     * The base of the {@code n}th section of a kind: {@code stride} apart from {@code first}, up
     * to the next area (the data sections, the stubs, 2^64) and never into it.
     */
    private long slot(String name, String kind, long first, int n) {
        long end = 0; // 2^64
        String next = "the end of the address space";
        long[] others = {config.codeBase(), config.dataBase(), config.externBase()};
        String[] names = {"the code sections", "the data sections", "the stubs"};
        for (int k = 0; k < others.length; k++) {
            if (others[k] != 0 && Long.compareUnsigned(others[k], first) > 0
                    && (end == 0 || Long.compareUnsigned(others[k], end) < 0)) {
                end = others[k];
                next = names[k] + String.format(" at 0x%x", end);
            }
        }
        long room = Long.divideUnsigned(end - first, config.stride());
        if (Long.compareUnsigned(n, room) >= 0) {
            throw new AsmError(at, String.format("too many %s sections: `%s' would be number %d, and entrysim"
                    + " places at most %d (0x%x apart from 0x%x, below %s)", kind, name, n + 1, room,
                    config.stride(), first, next));
        }
        return first + config.stride() * n;
    }

    /** The statement being assembled, when there is one (for reports of unexpected failures). */
    public Origin where() {
        return at;
    }

    void switchTo(Section s) {
        previous = current;
        current = s;
    }

    void pushSection(Section s) {
        sectionStack.push(new Section[] {current, previous});
        switchTo(s);
    }

    void popSection(Origin where) {
        if (sectionStack.isEmpty()) {
            throw new AsmError(where, ".popsection without corresponding .pushsection");
        }
        Section[] saved = sectionStack.pop();
        current = saved[0];
        previous = saved[1];
    }

    void previousSection(Origin where) {
        if (previous == null) {
            throw new AsmError(where, ".previous without corresponding .section");
        }
        switchTo(previous);
    }

    /** Evaluates with every symbol known (pass 2) or reports the first undefined one. */
    long eval(Expr e, Origin where) {
        return eval(e, where, false);
    }

    long eval(Expr e, Origin where, boolean perCpu) {
        if (firstPass) {
            // layout: only sizes matter, and they depend on what is absolute, not on values
            Long v = tryEval(e, where, perCpu);
            return v == null ? 0 : v;
        }
        currentOrigin = where;
        try {
            return ExprEvaluator.eval(e, resolver(perCpu, true, where));
        } catch (UnresolvedSymbolException u) {
            throw new AsmError(where, "undefined symbol `" + u.name() + "'");
        } catch (io.entrysim.parse.BadExpressionException bad) {
            throw new AsmError(where, bad.getMessage());
        }
    }

    /**
     * Evaluates if possible now (forward references in pass 1 are not), else null. A division by
     * zero during layout may come from a label's stale address: the final walk reports it.
     */
    Long tryEval(Expr e, Origin where, boolean perCpu) {
        try {
            return ExprEvaluator.eval(e, resolver(perCpu, !firstPass, where));
        } catch (UnresolvedSymbolException u) {
            return null;
        } catch (io.entrysim.parse.BadExpressionException bad) {
            if (firstPass) {
                return null;
            }
            throw new AsmError(where, bad.getMessage());
        }
    }

    /**
     * A size or count ({@code .skip}, {@code .fill}, {@code .org}): during layout a forward
     * reference takes the previous walk's value (0 in the first walk, which asks for another),
     * as gas relaxes such frags; the final walk needs every symbol.
     */
    long evalNow(Expr e, Origin where, String what) {
        if (firstPass && walk <= 2 && absoluteWhereRead(e) == null) {
            // gas makes a fragment of variable size for it, which counts 0 until it relaxes
            unsettled = true;
            return 0;
        }
        try {
            return ExprEvaluator.eval(e, resolver(false, !firstPass, where));
        } catch (UnresolvedSymbolException u) {
            if (!firstPass) {
                return eval(e, where); // reports the undefined symbol
            }
            unsettled = true;
            return 0;
        } catch (io.entrysim.parse.BadExpressionException bad) {
            if (!firstPass) {
                throw new AsmError(where, bad.getMessage());
            }
            return 0; // e.g. a division by a distance still 0 in this walk: the final walk tells
        }
    }

    /** A value gas needs when it reads the line (an alignment): no forward reference. */
    long evalConstant(Expr e, Origin where, String what) {
        Long v = tryEval(e, where, false);
        if (v == null) {
            if (!firstPass) {
                return eval(e, where);
            }
            try {
                ExprEvaluator.eval(e, resolver(false, false, where));
            } catch (io.entrysim.parse.BadExpressionException bad) {
                throw new AsmError(where, bad.getMessage());
            } catch (UnresolvedSymbolException forward) {
                // below
            }
            throw new AsmError(where, what + " must be a constant known at this point (forward reference?)");
        }
        return v;
    }

    private io.entrysim.parse.SymbolResolver resolver(boolean perCpu, boolean allowEnvironment, Origin where) {
        // instructions are decoded where they stand in pass 2, so this is their own address too
        return resolver(perCpu, allowEnvironment, where, position, current.dot());
    }

    private io.entrysim.parse.SymbolResolver resolver(boolean perCpu, boolean allowEnvironment, Origin where,
                                                       int pos, long dot) {
        return new io.entrysim.parse.SymbolResolver() {
            @Override
            public void warn(String message) {
                Assembler.this.warn(where, message);
            }

            @Override
            public Long symbol(String name) {
                Long v = symbols.value(name);
                if (v != null) {
                    return v;
                }
                if (!firstPass) {
                    v = ahead(name, where);
                    if (v != null) {
                        return v;
                    }
                }
                v = autoSymbols.get(name);
                if (v != null) {
                    return v;
                }
                v = externals.addresses().get(name);
                if (v != null) {
                    return v;
                }
                if (!allowEnvironment || config.undefined() == null) {
                    return null;
                }
                v = config.undefined().resolve(name, perCpu);
                if (v == null && !perCpu && externals.enabled()) {
                    refuseRegisterName(name, where);
                    v = externals.allocate(name, currentOrigin);
                    return v;
                }
                if (v != null) {
                    autoSymbols.put(name, v);
                }
                return v;
            }

            @Override
            public Long localLabel(int label, boolean forward) {
                return symbols.local(label, forward, pos);
            }

            @Override
            public long dot() {
                return dot;
            }
        };
    }

    /**
     * A symbol spelled like a register ({@code call rsi}, from a macro that wanted {@code %rsi})
     * is a mistake, never a C function: gas would take it as a symbol and leave it to the linker,
     * entrysim refuses to stub it.
     */
    private static void refuseRegisterName(String name, Origin where) {
        if (RegisterNames.isRegister(name)) {
            throw new AsmError(where, "undefined symbol `" + name + "' is spelled like a register: write `%"
                    + name + "' for the register (entrysim gives no stub to a register name)");
        }
    }

    /** Values of the data directives: emits {@code size}-byte little-endian items. */
    void emitValues(List<Arg> args, int size, Origin where) {
        for (Arg a : args) {
            if (a instanceof Arg.ExprArg ea) {
                long v = firstPass ? 0 : eval(ea.e(), where);
                if (!firstPass && OperandForms.truncates(v, size) && !(size == 4 && reachesAcrossPlacement(v))) {
                    warn(where, String.format("value 0x%x truncated to 0x%x", v, v & ((1L << (8 * size)) - 1)));
                }
                current.emit(v, size, where);
            } else if (a instanceof Arg.StringArg sa && size == 1) {
                for (byte b : sa.value().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)) {
                    current.emit(b, 1, where);
                }
            } else {
                throw new AsmError(where, "expected an expression, got `" + argText(a) + "'");
            }
        }
    }

    /**
     * True when {@code distance}, a 32-bit field's value measured from the field, reaches between
     * a section the machine places at a fixed address ({@code place}: v4.15's entry trampoline
     * at its cpu_entry_area alias) and one that it does not: the kernel links such a section in
     * its image and only maps it at that address, so the linker's distance fits; entrysim keeps
     * it modulo 2^32, as the boot-time patching that reads these fields resolves them, and does
     * not warn.
     */
    private boolean reachesAcrossPlacement(long distance) {
        long field = current.base + current.offset();
        Section target = null;
        for (Section s : sections.values()) {
            // the room it is given, not its size so far: the target may lie ahead of this pass
            if (Long.compareUnsigned(field + distance - s.base, s.room) < 0) {
                target = s;
            }
        }
        return target != null && config.sectionBases().containsKey(target.name)
                != config.sectionBases().containsKey(current.name);
    }

    static String argText(Arg a) {
        if (a instanceof Arg.StringArg s) {
            return "\"" + s.value() + "\"";
        }
        if (a instanceof Arg.WordArg w) {
            return w.text();
        }
        return "expression";
    }
}
