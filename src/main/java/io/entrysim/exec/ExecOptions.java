package io.entrysim.exec;

/**
 * Executor options.
 *
 * @param strictFlags report instructions that read a flag the SDM calls undefined at that point
 *     (Jcc, SETcc, CMOVcc, ADC, SBB, CMC, PUSHF); see {@link UndefinedFlags}
 */
public record ExecOptions(boolean strictFlags) {
    public static final ExecOptions DEFAULT = new ExecOptions(false);
    public static final ExecOptions STRICT_FLAGS = new ExecOptions(true);
}
