package io.entrysim.macro;

import java.util.List;
import java.util.function.LongFunction;

/**
 * One level of gas's input stack: the file being read, a macro expansion, or a
 * {@code .rept}/{@code .irp} expansion. Repetitions are produced one pass at a time so that a
 * large count does not build all its text up front.
 */
final class InputFrame {
    enum Kind { FILE, MACRO, REPEAT }

    final Kind kind;
    /** gas's {@code macro_nest} while this frame is being read (0 for the file). */
    final int nest;
    private final LongFunction<List<Segment>> pass;
    private final long passes;
    private long passesDone;
    private List<Segment> current = List.of();
    private int index;

    private InputFrame(Kind kind, int nest, long passes, LongFunction<List<Segment>> pass) {
        this.kind = kind;
        this.nest = nest;
        this.passes = passes;
        this.pass = pass;
    }

    static InputFrame of(Kind kind, int nest, List<Segment> statements) {
        return new InputFrame(kind, nest, 1, i -> statements);
    }

    /** {@code passes} repetitions; {@code pass.apply(i)} gives the statements of repetition i. */
    static InputFrame repeated(int nest, long passes, LongFunction<List<Segment>> pass) {
        return new InputFrame(Kind.REPEAT, nest, passes, pass);
    }

    /** The next statement, or null at the end of this input. */
    Segment next() {
        while (index >= current.size()) {
            if (passesDone >= passes) {
                return null;
            }
            current = pass.apply(passesDone++);
            index = 0;
        }
        return current.get(index++);
    }
}
