package io.entrysim.macro;

import com.google.common.collect.ImmutableList;
import io.entrysim.diag.AsmError;
import io.entrysim.diag.Origin;
import io.entrysim.diag.Site;
import io.entrysim.source.SourceLine;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The GNU as 2.40 macro and conditional-assembly stage: reads preprocessed lines the way gas's
 * reader does (scrubbed, split at {@code ;}, labels split off) and returns one statement per line
 * with its provenance. Macros, {@code .rept}/{@code .irp}/{@code .irpc} and conditionals are
 * resolved here; everything else passes through for the parser.
 *
 * <p>A statement produced by a macro body line is located at that body line, with the chain
 * {@code [macro NAME at invocation] + invocation's chain}; {@code .rept}/{@code .irp} bodies keep
 * the origin of their body lines.
 */
public final class GasMacroExpander {
    /** Guards against runaway {@code .rept} / recursion exhausting memory instead of failing cleanly. */
    static final int MAX_OUTPUT = 1_000_000;
    static final long MAX_STATEMENTS_READ = 20_000_000L;

    private final ConditionEvaluator evaluator;
    private final ExpanderConfig config;
    private final KnownSymbols symbols = new KnownSymbols();
    private final ConditionStack conditions = new ConditionStack();
    private final Set<String> staticKeysConsulted = new LinkedHashSet<>();
    private final ConditionalDirectives conditionals;
    private final Map<String, MacroDef> definitions = new LinkedHashMap<>();
    private final Map<String, List<Segment>> bodies = new LinkedHashMap<>();
    private final List<Warning> warnings = new ArrayList<>();
    /** Where a macro was purged, and where a {@code .macro} was skipped by a false conditional, by lower-case name. */
    private final Map<String, Origin> purgedAt = new LinkedHashMap<>();
    private final Map<String, Origin> skippedDefinitionAt = new LinkedHashMap<>();
    /** Why a word used as a statement was no macro at its first such use, when known (see {@link #whyNotAMacro}). */
    private final Map<String, String> notAMacro = new LinkedHashMap<>();
    private final Deque<InputFrame> input = new ArrayDeque<>();
    private List<SourceLine> output;
    /** gas's {@code macro_number}: expansions so far, what {@code \@} shows. */
    private long macroCounter;
    private long statementsRead;
    private boolean ended;
    private Segment current;

    public GasMacroExpander(ConditionEvaluator evaluator, ExpanderConfig config) {
        this.evaluator = evaluator;
        this.config = config;
        this.conditionals = new ConditionalDirectives(conditions, evaluator, symbols, config, staticKeysConsulted);
    }

    /**
     * Forgets every {@code .macro} defined so far: the next {@link #expand} is another
     * translation unit (another object a linker would join), which defines its own.
     */
    public void forgetMacros() {
        definitions.clear();
        bodies.clear();
    }

    /**
     * Expands one translation unit. Macros, symbols and the {@code \@} counter persist across
     * calls, as if the inputs were concatenated.
     *
     * @throws AsmError on the first error gas would report
     */
    public List<SourceLine> expand(List<SourceLine> lines) {
        List<Segment> statements = new ArrayList<>();
        for (SourceLine line : lines) {
            statements.addAll(Segment.fromLine(line));
        }
        output = new ArrayList<>();
        ended = false;
        statementsRead = 0;
        conditions.clear();
        input.clear();
        input.push(InputFrame.of(InputFrame.Kind.FILE, 0, statements));
        try {
            while (!ended && !input.isEmpty()) {
                InputFrame frame = input.peek();
                Segment next = frame.next();
                if (next == null) {
                    if (frame.kind == InputFrame.Kind.MACRO) {
                        conditions.checkMacroEnd(frame.nest);
                    }
                    input.pop();
                } else {
                    current = next;
                    if (++statementsRead > MAX_STATEMENTS_READ) {
                        throw new AsmError(next.origin(), "more than " + MAX_STATEMENTS_READ
                                + " statements read during macro expansion (runaway .rept or recursion?)");
                    }
                    statement(next);
                }
            }
            conditions.checkEndOfInput();
        } finally {
            input.clear();
        }
        List<SourceLine> result = output;
        output = null;
        return result;
    }

    /** The statement being expanded (for reports of unexpected failures), or null. */
    public Origin where() {
        return current == null ? null : current.origin();
    }

    public List<Warning> warnings() {
        return Collections.unmodifiableList(warnings);
    }

    public Set<String> staticKeysConsulted() {
        return Collections.unmodifiableSet(staticKeysConsulted);
    }

    /** The macros defined now, by lower-case name (gas matches macro names case-insensitively). */
    public Map<String, MacroDef> macros() {
        return Collections.unmodifiableMap(definitions);
    }

    /**
     * Why {@code name}, used as an instruction, was not a macro when it was read, when that is
     * cheaply known: a macro of that name had been purged, or its {@code .macro} was in a region a
     * false conditional skipped, or it is only defined further on (gas reads the input once).
     *
     * @return a note such as "macro `x' was purged at t.S:9", or null
     */
    public String whyNotAMacro(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        String note = notAMacro.get(key);
        if (note == null && definitions.containsKey(key)) {
            note = "macro `" + key + "' is only defined later, at " + definitions.get(key).definedAt().pos().fileLine();
        }
        return note;
    }

    private int nest() {
        return input.size() - 1;
    }

    private void statement(Segment s) {
        String text = s.text();
        if (conditions.ignoring()) {
            // gas still reads conditional directives in a skipped branch to track nesting.
            if (text.charAt(0) == '.') {
                int end = GasText.tokenEnd(text, 0);
                String name = text.substring(1, end).toLowerCase(Locale.ROOT);
                if (ConditionalDirectives.handles(name)) {
                    conditionals.handle(name, text.substring(end), s.origin(), nest());
                } else if (name.equals("macro")) {
                    String macro = MacroHeader.nameOf(text.substring(end)).toLowerCase(Locale.ROOT);
                    skippedDefinitionAt.putIfAbsent(macro, s.origin());
                }
            }
            return;
        }
        int i = 0;
        for (int end = labelEnd(text, 0); end > 0; end = labelEnd(text, i)) {
            String label = text.substring(i, end - 1);
            emit(label + ":", s.originAt(i));
            if (!Character.isDigit(label.charAt(0))) {
                symbols.defineLabel(label);
            }
            i = GasText.skipBlanks(text, end);
        }
        Segment rest = s.from(i);
        if (rest != null) {
            dispatch(rest);
        }
    }

    /** Index after {@code name:} or {@code 123:} at {@code i}, or -1. */
    private static int labelEnd(String text, int i) {
        int end;
        if (i < text.length() && Character.isDigit(text.charAt(i))) {
            end = i;
            while (end < text.length() && Character.isDigit(text.charAt(end))) {
                end++;
            }
        } else {
            end = GasText.tokenEnd(text, i);
        }
        return end > i && end < text.length() && text.charAt(end) == ':' ? end + 1 : -1;
    }

    private void dispatch(Segment s) {
        String text = s.text();
        int nameEnd = GasText.tokenEnd(text, 0);
        if (nameEnd == 0) {
            emit(s);
            return;
        }
        String name = text.substring(0, nameEnd);
        int eq = nameEnd < text.length() && text.charAt(nameEnd) == ' ' ? nameEnd + 1 : nameEnd;
        if (eq < text.length() && text.charAt(eq) == '=') {
            int expr = eq + 1 < text.length() && text.charAt(eq + 1) == '=' ? eq + 2 : eq + 1;
            symbols.assign(name, tryEvaluate(text.substring(expr), s.origin()));
            emit(s);
            return;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        String operand = text.substring(nameEnd);
        if (lower.startsWith(".") && directive(lower.substring(1), operand, s)) {
            return;
        }
        List<Segment> body = bodies.get(lower);
        if (body != null) {
            invoke(definitions.get(lower), body, operand, s.origin());
            return;
        }
        if ((!purgedAt.isEmpty() || !skippedDefinitionAt.isEmpty()) && !notAMacro.containsKey(lower)) {
            noteWhyNotAMacro(lower);
        }
        emit(s);
    }

    private void noteWhyNotAMacro(String key) {
        Origin purged = purgedAt.get(key);
        Origin skipped = skippedDefinitionAt.get(key);
        if (purged != null) {
            notAMacro.put(key, "macro `" + key + "' was purged at " + purged.pos().fileLine());
        } else if (skipped != null) {
            notAMacro.put(key, "`.macro " + key + "' at " + skipped.pos().fileLine()
                    + " was skipped: it is inside a conditional that was false");
        }
    }

    /** Handles the directives of this stage; false for those that pass through. */
    private boolean directive(String name, String operand, Segment s) {
        Origin at = s.origin();
        if (ConditionalDirectives.handles(name)) {
            conditionals.handle(name, operand, at, nest());
            return true;
        }
        switch (name) {
            case "macro" -> defineMacro(operand, at);
            case "endm" -> warn(at, ".endm encountered without preceding .macro");
            case "endr" -> warn(at, ".endr encountered without preceding .rept, .irp, or .irpc");
            case "purgem" -> purge(operand, at);
            case "exitm" -> exitMacro(at);
            case "rept", "rep" -> repeat(operand, at);
            case "irp", "irep" -> iterate(operand, at, false);
            case "irpc", "irepc" -> iterate(operand, at, true);
            case "set", "equ", "equiv", "eqv" -> {
                assign(name, operand, at);
                emit(s);
            }
            case "error", "warning", "print" -> Messages.handle(name, operand, at, warnings);
            case "altmacro", "noaltmacro" -> throw new AsmError(at, "." + name + " is not supported by entrysim");
            case "mri" -> {
                if (!operand.strip().equals("0")) {
                    throw new AsmError(at, ".mri is not supported by entrysim");
                }
            }
            case "end" -> ended = true;
            default -> {
                return false;
            }
        }
        return true;
    }

    private void defineMacro(String operand, Origin at) {
        List<Segment> body = BlockCollector.collect(BlockCollector.Kind.MACRO, input.peek()::next);
        if (body == null) {
            String name = MacroHeader.nameOf(operand);
            throw new AsmError(at, name.isEmpty() ? "Missing macro name"
                    : "unexpected end of file in macro `" + name.toLowerCase(Locale.ROOT) + "' definition");
        }
        MacroHeader header = MacroHeader.parse(operand, at, warnings::add);
        String key = header.name().toLowerCase(Locale.ROOT);
        if (key.startsWith(".") && PseudoOps.isPseudoOp(key.substring(1))) {
            warn(at, "attempt to redefine pseudo-op `" + key + "' ignored");
            return;
        }
        if (bodies.containsKey(key)) {
            throw new AsmError(at, "Macro `" + key + "' was already defined");
        }
        List<SourceLine> lines = body.stream().map(Segment::toSourceLine).toList();
        definitions.put(key, new MacroDef(header.name(), header.params(), lines, at));
        bodies.put(key, body);
    }

    private void purge(String operand, Origin at) {
        int idx = GasText.skipBlanks(operand, 0);
        if (idx >= operand.length()) {
            return;
        }
        while (true) {
            idx = GasText.skipBlanks(operand, idx);
            int end = GasText.tokenEnd(operand, idx);
            String key = operand.substring(idx, end).toLowerCase(Locale.ROOT);
            if (bodies.remove(key) == null) {
                warn(at, "Attempt to purge non-existing macro `" + key + "'");
            } else {
                purgedAt.put(key, at);
            }
            definitions.remove(key);
            idx = GasText.skipBlanks(operand, end);
            if (idx < operand.length() && operand.charAt(idx) == ',') {
                idx++;
                continue;
            }
            if (idx < operand.length()) {
                throw new AsmError(at, GasText.junkMessage(operand.charAt(idx)));
            }
            return;
        }
    }

    private void exitMacro(Origin at) {
        if (nest() == 0) {
            warn(at, "ignoring macro exit outside a macro definition.");
            return;
        }
        conditions.exitMacro(nest());
        input.pop();
    }

    private void invoke(MacroDef macro, List<Segment> body, String operand, Origin at) {
        Map<String, String> values = MacroArguments.bind(macro, operand, at, warnings::add);
        Substitution substitution = new Substitution(values, macroCounter);
        List<Site> chain = ImmutableList.<Site>builder().add(Site.macro(macro.name(), at.pos()))
                .addAll(at.chain()).build();
        List<Segment> expansion = new ArrayList<>(body.size());
        for (Segment line : body) {
            Substitution.Text text = substitution.apply(line);
            expansion.addAll(Segment.fromText(text.text(), text.columns(), line.origin().pos(), chain));
        }
        macroCounter++;
        checkDepth(at);
        input.push(InputFrame.of(InputFrame.Kind.MACRO, nest() + 1, expansion));
    }

    private void checkDepth(Origin at) {
        if (nest() > config.maxDepth()) {
            throw new AsmError(at, "macros nested too deeply");
        }
    }

    private void repeat(String operand, Origin at) {
        // gas reads a missing count as 0 without complaint.
        long count = operand.isBlank() ? 0
                : evaluator.evaluate(operand.strip(), at, symbols::value, ConditionEvaluator.NOT_ABSOLUTE);
        if (count < 0) {
            throw new AsmError(at, "negative count for REPT - ignored");
        }
        List<Segment> body = BlockCollector.collect(BlockCollector.Kind.REPEAT, input.peek()::next);
        if (body == null) {
            throw new AsmError(at, "REPT without ENDR");
        }
        checkDepth(at);
        input.push(InputFrame.repeated(nest() + 1, body.isEmpty() ? 0 : count, i -> body));
    }

    private void iterate(String operand, Origin at, boolean characters) {
        List<Segment> body = BlockCollector.collect(BlockCollector.Kind.REPEAT, input.peek()::next);
        if (body == null) {
            throw new AsmError(at, "unexpected end of file in irp or irpc");
        }
        int start = GasText.skipBlanks(operand, 0);
        int end = GasText.tokenEnd(operand, start);
        if (end == start) {
            throw new AsmError(at, "missing model parameter");
        }
        String symbol = operand.substring(start, end);
        List<String> values = IterationValues.parse(operand, GasText.skipComma(operand, end), characters);
        long counter = macroCounter;
        checkDepth(at);
        input.push(InputFrame.repeated(nest() + 1, values.size(), i -> {
            Substitution substitution = new Substitution(Map.of(symbol, values.get((int) i)), counter);
            List<Segment> pass = new ArrayList<>(body.size());
            for (Segment line : body) {
                Substitution.Text text = substitution.apply(line);
                pass.addAll(Segment.fromText(text.text(), text.columns(), line.origin().pos(), line.origin().chain()));
            }
            return pass;
        }));
    }

    /** {@code .set sym, expr} and friends: remember the value when absolute, pass the line on. */
    private void assign(String directive, String operand, Origin at) {
        int start = GasText.skipBlanks(operand, 0);
        int end = GasText.tokenEnd(operand, start);
        int comma = GasText.skipBlanks(operand, end);
        if (end == start || comma >= operand.length() || operand.charAt(comma) != ',') {
            return; // malformed: the assembler stage reports it
        }
        String name = operand.substring(start, end);
        if (directive.equals("equiv") && symbols.isDefined(name)) {
            throw new AsmError(at, "symbol `" + name + "' is already defined");
        }
        symbols.assign(name, tryEvaluate(operand.substring(comma + 1), at));
    }

    /** The value if the expression is absolute now; null otherwise (then it is unknown to {@code .if}). */
    private Long tryEvaluate(String expression, Origin at) {
        if (expression.isBlank()) {
            return null;
        }
        try {
            return evaluator.evaluate(expression.strip(), at, symbols::value, ConditionEvaluator.NOT_ABSOLUTE);
        } catch (RuntimeException notAbsolute) {
            return null;
        }
    }

    private void warn(Origin at, String message) {
        warnings.add(new Warning(at, message));
    }

    private void emit(Segment s) {
        emit(s.text(), s.origin());
    }

    private void emit(String text, Origin at) {
        if (output.size() >= MAX_OUTPUT) {
            throw new AsmError(at, "more than " + MAX_OUTPUT
                    + " statements after macro expansion (runaway .rept or recursion?)");
        }
        output.add(new SourceLine(text, at));
    }
}
