package io.entrysim.debug;

import io.entrysim.cpu.Cpu;
import io.entrysim.diag.AsmError;
import io.entrysim.session.UserExpressions;
import java.util.Locale;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An expression as the debugger's {@code print}, {@code x}, {@code watch}, {@code display} and
 * breakpoint conditions take it: C operators over numbers, registers ({@code $rax}, {@code $cr3},
 * {@code %rsp}), the program's symbols and cpp macros, and memory ({@code *(long*)ADDR},
 * {@code {int}ADDR}, or a whole expression written {@code %gs:ADDR}, the per-CPU variable as
 * {@code --mem} means it: its 8 bytes). Inside a larger expression {@code %gs:ADDR} is the
 * address, so {@code {short}(%gs:ADDR)} reads 2 bytes there. Compiled once: symbols are resolved then, so a watchpoint costs a tree
 * walk per step, never a parse.
 */
public final class DebugExpression {
    /** One compiled node. */
    private interface Node extends ToLongFunction<Cpu> {}

    private static final Pattern SEGMENT = Pattern.compile("^\\s*%([fg]s)\\s*:(.*)$", Pattern.DOTALL);

    private final String text;
    private final Node root;
    /** The address a {@code %gs:}/{@code %fs:} expression names, or null when it is a plain value. */
    private final Node segmentAddress;

    private DebugExpression(String text, Node root, Node segmentAddress) {
        this.text = text;
        this.root = root;
        this.segmentAddress = segmentAddress;
    }

    /**
     * Compiles {@code text}; symbols and cpp macros are looked up in {@code symbols}, {@code %gs:}
     * is relative to {@code percpuBase}. Throws {@link AsmError} on a bad expression.
     */
    public static DebugExpression compile(String text, UserExpressions symbols, long percpuBase) {
        Matcher m = SEGMENT.matcher(text);
        if (m.matches()) {
            Node offset = new Parser(m.group(2), symbols, text, percpuBase).parseAll();
            boolean gs = m.group(1).equals("gs");
            Node address = cpu -> (gs ? percpuBase : cpu.fsBase()) + offset.applyAsLong(cpu);
            return new DebugExpression(text, cpu -> cpu.memory().peek(address.applyAsLong(cpu), 8), address);
        }
        return new DebugExpression(text, new Parser(text, symbols, text, percpuBase).parseAll(), null);
    }

    public String text() {
        return text;
    }

    /** The value on {@code cpu} now ({@code %gs:X}: the 8 bytes at the per-CPU variable X). */
    public long value(Cpu cpu) {
        return root.applyAsLong(cpu);
    }

    /** The address for {@code x}: a {@code %gs:X} expression's address, else the value. */
    public long address(Cpu cpu) {
        return segmentAddress != null ? segmentAddress.applyAsLong(cpu) : root.applyAsLong(cpu);
    }

    /** Precedence climbing over C's binary operators, loosest first. */
    private static final String[][] LEVELS = {
        {"||"}, {"&&"}, {"|"}, {"^"}, {"&"}, {"==", "!="}, {"<=", ">=", "<", ">"}, {"<<", ">>"}, {"+", "-"},
        {"*", "/", "%"}};

    /** A recursive-descent parser over the text; each method returns the compiled node. */
    private static final class Parser {
        private final String s;
        private final UserExpressions symbols;
        private final String whole;
        private int pos;

        private final long percpuBase;

        Parser(String s, UserExpressions symbols, String whole, long percpuBase) {
            this.percpuBase = percpuBase;
            this.s = s;
            this.symbols = symbols;
            this.whole = whole;
        }

        Node parseAll() {
            Node n = binary(0);
            skipSpaces();
            if (pos < s.length()) {
                throw error("unexpected `" + s.substring(pos) + "'");
            }
            return n;
        }

        private AsmError error(String what) {
            return new AsmError(null, what + " in expression `" + whole + "'");
        }

        private void skipSpaces() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private boolean eat(String token) {
            skipSpaces();
            if (s.startsWith(token, pos)) {
                pos += token.length();
                return true;
            }
            return false;
        }

        private Node binary(int level) {
            if (level == LEVELS.length) {
                return unary();
            }
            Node left = binary(level + 1);
            while (true) {
                String op = operatorAt(level);
                if (op == null) {
                    return left;
                }
                Node l = left;
                Node r = binary(level + 1);
                left = combine(op, l, r);
            }
        }

        /** The operator of this level at the cursor (consumed), or null; never a prefix of a longer one. */
        private String operatorAt(int level) {
            skipSpaces();
            for (String op : LEVELS[level]) {
                if (s.startsWith(op, pos) && !longerOperatorAt(op)) {
                    pos += op.length();
                    return op;
                }
            }
            return null;
        }

        private boolean longerOperatorAt(String op) {
            for (String[] ops : LEVELS) {
                for (String o : ops) {
                    if (o.length() > op.length() && o.startsWith(op) && s.startsWith(o, pos)) {
                        return true;
                    }
                }
            }
            return false;
        }

        private Node combine(String op, Node l, Node r) {
            return switch (op) {
                case "||" -> c -> l.applyAsLong(c) != 0 || r.applyAsLong(c) != 0 ? 1 : 0;
                case "&&" -> c -> l.applyAsLong(c) != 0 && r.applyAsLong(c) != 0 ? 1 : 0;
                case "|" -> c -> l.applyAsLong(c) | r.applyAsLong(c);
                case "^" -> c -> l.applyAsLong(c) ^ r.applyAsLong(c);
                case "&" -> c -> l.applyAsLong(c) & r.applyAsLong(c);
                case "==" -> c -> l.applyAsLong(c) == r.applyAsLong(c) ? 1 : 0;
                case "!=" -> c -> l.applyAsLong(c) != r.applyAsLong(c) ? 1 : 0;
                // addresses and register values compare unsigned, as gdb compares unsigned long
                case "<" -> c -> Long.compareUnsigned(l.applyAsLong(c), r.applyAsLong(c)) < 0 ? 1 : 0;
                case ">" -> c -> Long.compareUnsigned(l.applyAsLong(c), r.applyAsLong(c)) > 0 ? 1 : 0;
                case "<=" -> c -> Long.compareUnsigned(l.applyAsLong(c), r.applyAsLong(c)) <= 0 ? 1 : 0;
                case ">=" -> c -> Long.compareUnsigned(l.applyAsLong(c), r.applyAsLong(c)) >= 0 ? 1 : 0;
                case "<<" -> c -> l.applyAsLong(c) << r.applyAsLong(c);
                case ">>" -> c -> l.applyAsLong(c) >>> r.applyAsLong(c);
                case "+" -> c -> l.applyAsLong(c) + r.applyAsLong(c);
                case "-" -> c -> l.applyAsLong(c) - r.applyAsLong(c);
                case "*" -> c -> l.applyAsLong(c) * r.applyAsLong(c);
                case "/" -> c -> {
                    long d = r.applyAsLong(c);
                    return d == 0 ? 0 : Long.divideUnsigned(l.applyAsLong(c), d);
                };
                case "%" -> c -> {
                    long d = r.applyAsLong(c);
                    return d == 0 ? 0 : Long.remainderUnsigned(l.applyAsLong(c), d);
                };
                default -> throw error("unknown operator " + op);
            };
        }

        private Node unary() {
            skipSpaces();
            if (eat("-")) {
                Node n = unary();
                return c -> -n.applyAsLong(c);
            }
            if (eat("~")) {
                Node n = unary();
                return c -> ~n.applyAsLong(c);
            }
            if (eat("!")) {
                Node n = unary();
                return c -> n.applyAsLong(c) == 0 ? 1 : 0;
            }
            if (eat("*")) {
                int size = 8;
                int save = pos;
                if (eat("(")) {
                    int typed = typeSize(true);
                    if (typed > 0 && eat(")")) {
                        size = typed;
                    } else {
                        pos = save;
                    }
                }
                return memory(unary(), size);
            }
            if (eat("{")) {
                int size = typeSize(false);
                if (size < 0 || !eat("}")) {
                    throw error("expected {char|short|int|long} ");
                }
                return memory(unary(), size);
            }
            return primary();
        }

        private static Node memory(Node address, int size) {
            return c -> c.memory().peek(address.applyAsLong(c), size);
        }

        /** A C type name, with a trailing {@code *} when {@code pointer}; its size in bytes, or -1. */
        private int typeSize(boolean pointer) {
            skipSpaces();
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_' || s.charAt(pos) == ' ')) {
                pos++;
            }
            String type = s.substring(start, pos).trim().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
            if (pointer && !eat("*")) {
                pos = start;
                return -1;
            }
            int size = switch (type.replace("unsigned ", "").replace("signed ", "")) {
                case "char", "u8", "s8", "uint8_t" -> 1;
                case "short", "u16", "s16", "uint16_t" -> 2;
                case "int", "u32", "s32", "uint32_t", "unsigned" -> 4;
                case "long", "long long", "u64", "s64", "uint64_t", "void" -> 8;
                default -> -1;
            };
            if (size < 0) {
                pos = start;
            }
            return size;
        }

        private Node primary() {
            skipSpaces();
            if (pos >= s.length()) {
                throw error("expression ends too soon");
            }
            char ch = s.charAt(pos);
            if (ch == '(') {
                pos++;
                Node n = binary(0);
                if (!eat(")")) {
                    throw error("missing `)'");
                }
                return n;
            }
            if (s.startsWith("%gs:", pos) || s.startsWith("%fs:", pos)) {
                boolean gs = s.charAt(pos + 1) == 'g';
                pos += 4;
                Node offset = binary(0);
                long base = percpuBase;
                return c -> (gs ? base : c.fsBase()) + offset.applyAsLong(c);
            }
            if (ch == '$' || ch == '%') {
                pos++;
                String name = identifier().toLowerCase(Locale.ROOT);
                ToLongFunction<Cpu> reg = Registers.reader(name);
                if (reg == null) {
                    throw error("no register `" + ch + name + "'");
                }
                return reg::applyAsLong;
            }
            if (Character.isDigit(ch)) {
                long v = number();
                return c -> v;
            }
            if (Character.isLetter(ch) || ch == '_' || ch == '.') {
                String name = identifier();
                long v = symbols.value(name, "expression");
                return c -> v;
            }
            throw error("unexpected `" + ch + "'");
        }

        private String identifier() {
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_' || s.charAt(pos) == '.')) {
                pos++;
            }
            if (start == pos) {
                throw error("expected a name");
            }
            return s.substring(start, pos);
        }

        private long number() {
            int start = pos;
            while (pos < s.length() && Character.isLetterOrDigit(s.charAt(pos))) {
                pos++;
            }
            String t = s.substring(start, pos).toLowerCase(Locale.ROOT);
            try {
                if (t.startsWith("0x")) {
                    return Long.parseUnsignedLong(t.substring(2), 16);
                }
                if (t.startsWith("0b")) {
                    return Long.parseUnsignedLong(t.substring(2), 2);
                }
                return Long.parseUnsignedLong(t);
            } catch (NumberFormatException e) {
                throw error("bad number `" + t + "'");
            }
        }
    }
}
