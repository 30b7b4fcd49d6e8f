package io.entrysim.cpu;

/**
 * A rule the run broke without faulting (a lost TLB flush, PCID bits without PCIDE, ...): a
 * short kind ({@code lost-flush}) and a message for people. The executor supplies them (it knows
 * instructions and source lines); the CPU keeps them in a {@link PersistentLog}, so a
 * {@link CpuSnapshot} covers them.
 */
public interface RuleViolation {
    String kind();

    String message();
}
