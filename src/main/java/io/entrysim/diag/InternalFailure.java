package io.entrysim.diag;

/**
 * A bug in entrysim, not in the input, caught at a stage boundary (cpp, macro expansion, parse,
 * assemble, the run): reported like a diagnostic, {@code file:line:col: internal error: STAGE:
 * EXCEPTION (please report)}, at the line or statement being processed when it is known, never
 * as a stack trace. The exception is kept for {@code ENTRYSIM_DEBUG}.
 */
public final class InternalFailure extends AsmError {
    private final transient Throwable bug;

    public InternalFailure(Origin origin, String stage, Throwable bug) {
        super(origin, stage + ": " + describe(bug) + " (please report)");
        this.bug = bug;
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null || message.isEmpty() ? "" : ": " + message);
    }

    /** The exception that escaped the stage. */
    public Throwable bug() {
        return bug;
    }

    @Override
    public String format() {
        return Diagnostics.format("internal error", origin(), getMessage());
    }
}
