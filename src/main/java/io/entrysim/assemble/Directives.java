package io.entrysim.assemble;

import io.entrysim.parse.Arg;
import io.entrysim.parse.DirectiveStmt;
import io.entrysim.diag.AsmError;
import io.entrysim.diag.Origin;
import java.util.List;
import java.util.Set;

/** The assembler directives: sections, data, alignment, and symbol attributes. */
final class Directives {
    /**
     * Directives that only record metadata for the linker, debugger or unwinder; they have no
     * effect on what the code does, so accepting them loses nothing the user asked for.
     */
    private static final Set<String> METADATA = Set.of(
            ".globl", ".global", ".local", ".weak", ".hidden", ".protected", ".internal", ".type", ".size",
            ".file", ".ident", ".loc", ".line", ".cfi_startproc", ".cfi_endproc", ".cfi_sections",
            ".cfi_def_cfa", ".cfi_def_cfa_offset", ".cfi_def_cfa_register", ".cfi_adjust_cfa_offset",
            ".cfi_offset", ".cfi_rel_offset", ".cfi_restore", ".cfi_undefined", ".cfi_same_value",
            ".cfi_remember_state", ".cfi_restore_state", ".cfi_signal_frame", ".cfi_escape",
            ".code64", ".att_syntax");

    private final Assembler asm;

    Directives(Assembler asm) {
        this.asm = asm;
    }

    void apply(DirectiveStmt d) {
        Origin o = d.origin();
        List<Arg> args = d.args();
        switch (d.name()) {
            case ".text" -> asm.switchTo(asm.section(".text", true));
            case ".data" -> asm.switchTo(asm.section(".data", false));
            case ".bss" -> asm.switchTo(asm.section(".bss", false));
            case ".section" -> asm.switchTo(namedSection(d));
            case ".pushsection" -> asm.pushSection(namedSection(d));
            case ".popsection" -> asm.popSection(o);
            case ".previous" -> asm.previousSection(o);
            case ".byte" -> asm.emitValues(args, 1, o);
            case ".word", ".short", ".hword", ".2byte", ".value" -> asm.emitValues(args, 2, o);
            case ".long", ".int", ".4byte" -> asm.emitValues(args, 4, o);
            case ".quad", ".8byte" -> asm.emitValues(args, 8, o);
            case ".ascii" -> strings(d, false);
            case ".asciz", ".string" -> strings(d, true);
            case ".skip", ".space", ".zero" -> skip(d);
            case ".fill" -> fill(d);
            case ".align", ".balign" -> align(d, false);
            case ".p2align" -> align(d, true);
            case ".org" -> org(d);
            case ".code16", ".code32", ".intel_syntax" -> mode(d);
            default -> {
                if (!METADATA.contains(d.name())) {
                    throw new AsmError(o, "unknown pseudo-op: `" + d.name() + "'");
                }
            }
        }
    }

    private Section namedSection(DirectiveStmt d) {
        if (d.args().isEmpty()) {
            throw new AsmError(d.origin(), "expected section name for " + d.name());
        }
        String name = word(d.args().get(0), d);
        String flags = null;
        if (d.args().size() > 1 && d.args().get(1) instanceof Arg.StringArg s) {
            flags = s.value();
        }
        boolean code = flags != null ? flags.contains("x") : name.equals(".text") || name.startsWith(".text.")
                || name.endsWith(".text") || name.contains(".text.");
        return asm.section(name, code);
    }

    private static String word(Arg a, DirectiveStmt d) {
        if (a instanceof Arg.WordArg w) {
            return w.text();
        }
        if (a instanceof Arg.StringArg s) {
            return s.value();
        }
        if (a instanceof Arg.ExprArg e && e.e() instanceof io.entrysim.parse.Expr.Sym sym) {
            return sym.name();
        }
        throw new AsmError(d.origin(), "expected a name for " + d.name());
    }

    private void strings(DirectiveStmt d, boolean terminate) {
        for (Arg a : d.args()) {
            if (!(a instanceof Arg.StringArg s)) {
                throw new AsmError(d.origin(), "expected string for " + d.name());
            }
            for (byte b : s.value().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)) {
                asm.current().emit(b, 1, d.origin());
            }
            if (terminate) {
                asm.current().emit(0, 1, d.origin());
            }
        }
    }

    private long expr(DirectiveStmt d, int i, String what) {
        if (!(d.args().get(i) instanceof Arg.ExprArg e)) {
            throw new AsmError(d.origin(), "expected an expression for " + what + " of " + d.name());
        }
        return asm.evalNow(e.e(), d.origin(), what + " of " + d.name());
    }

    private long constant(DirectiveStmt d, int i, String what) {
        if (!(d.args().get(i) instanceof Arg.ExprArg e)) {
            throw new AsmError(d.origin(), "expected an expression for " + what + " of " + d.name());
        }
        return asm.evalConstant(e.e(), d.origin(), what + " of " + d.name());
    }

    private void skip(DirectiveStmt d) {
        need(d, 1, 2);
        long n = expr(d, 0, "size");
        int fill = d.args().size() > 1 ? (int) expr(d, 1, "fill value") : 0;
        if (n < 0) {
            // gas's words when the size is known only at the end (for a constant it says "zero")
            asm.warn(d.origin(), ".space, .nops or .fill with negative value, ignored");
            n = 0;
        } else if (n == 0 && d.args().get(0) instanceof Arg.ExprArg e && asm.absoluteNow(e.e()) != null) {
            asm.warn(d.origin(), ".space repeat count is zero, ignored");
        }
        asm.current().advance(n, fill, d.origin());
    }

    private void fill(DirectiveStmt d) {
        need(d, 1, 3);
        long repeat = expr(d, 0, "repeat");
        long size = d.args().size() > 1 ? expr(d, 1, "size") : 1;
        long value = d.args().size() > 2 ? expr(d, 2, "value") : 0;
        if (size < 0 || size > 8) {
            throw new AsmError(d.origin(), ".fill size must be 0..8, not " + size);
        }
        if (repeat < 0) {
            asm.warn(d.origin(), "repeat < 0; .fill ignored"); // gas's words
            return;
        }
        if (size == 0) {
            return;
        }
        Section s = asm.current();
        if (repeat > Long.MAX_VALUE / size) {
            s.reserve(-1, d.origin()); // past 2^64
        }
        s.reserve(repeat * size, d.origin());
        long item = size > 4 ? value & 0xffffffffL : value;
        if (item == 0) {
            s.advance(repeat * size, 0, d.origin());
            return;
        }
        for (long i = 0; i < repeat; i++) {
            s.emit(item, (int) size, d.origin());
        }
    }

    private void align(DirectiveStmt d, boolean powerOfTwo) {
        need(d, 1, 3);
        long a = constant(d, 0, "alignment");
        if (powerOfTwo && (a < 0 || a > 31)) {
            throw new AsmError(d.origin(), "alignment too large: 2^" + a);
        }
        long alignment = powerOfTwo ? 1L << a : a;
        if (alignment <= 0 || Long.bitCount(alignment) != 1) {
            throw new AsmError(d.origin(), "alignment not a power of 2");
        }
        // no fill byte (".p2align 4" or ".p2align 4,,7"): in code, gas pads with NOPs
        Integer fill = d.args().size() > 1 && !(d.args().get(1) instanceof Arg.WordArg) ? (int) constant(d, 1, "fill") : null;
        long max = d.args().size() > 2 ? constant(d, 2, "max skip") : 0;
        if (max == 0) {
            max = Long.MAX_VALUE; // gas: a maximum of 0 is no maximum
        }
        Section s = asm.current();
        asm.noteAlignment(alignment);
        long pad = (alignment - (s.dot() & (alignment - 1))) & (alignment - 1);
        if (pad <= max) {
            s.pad(pad, fill, d.origin());
        }
    }

    /**
     * {@code .org NEW}: a number is an offset into the section; an expression with a label or
     * {@code .} is an address in it. A target not known yet (a forward reference in a layout
     * walk) moves nothing this walk; backwards is an error once the layout has settled.
     */
    private void org(DirectiveStmt d) {
        need(d, 1, 2);
        Section s = asm.current();
        if (!(d.args().get(0) instanceof Arg.ExprArg arg)) {
            throw new AsmError(d.origin(), "expected an expression for new location of .org");
        }
        Long known = asm.tryEval(arg.e(), d.origin(), false);
        if (known == null && asm.firstPass()) {
            asm.evalNow(arg.e(), d.origin(), "new location of .org"); // asks for another walk
            return;
        }
        long target = known != null ? known : asm.eval(arg.e(), d.origin());
        long offset = target;
        if (asm.absoluteNow(arg.e()) == null) {
            offset = target - s.base;
            if (Long.compareUnsigned(offset, s.room) > 0) {
                String other = asm.sectionNameAt(target);
                throw new AsmError(d.origin(), other != null && !other.equals(s.name)
                        ? "invalid segment \"" + other + "\"" // gas's words
                        : String.format(".org to 0x%x, outside section %s", target, s.name));
            }
        }
        if (offset < s.offset()) {
            if (asm.firstPass()) {
                return; // perhaps a stale address: the final walk decides
            }
            throw new AsmError(d.origin(), "attempt to move .org backwards");
        }
        int fill = d.args().size() > 1 ? (int) expr(d, 1, "fill") : 0;
        s.advance(offset - s.offset(), fill, d.origin());
    }

    private void mode(DirectiveStmt d) {
        throw new AsmError(d.origin(), d.name() + " is not supported: entrysim assembles 64-bit AT&T syntax only");
    }

    private static void need(DirectiveStmt d, int min, int max) {
        int n = d.args().size();
        if (n < min || n > max) {
            throw new AsmError(d.origin(), d.name() + " takes " + (min == max ? "" + min : min + " to " + max)
                    + " arguments, not " + n);
        }
    }
}
