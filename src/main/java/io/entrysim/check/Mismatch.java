package io.entrysim.check;

import io.entrysim.assemble.Insn;

/**
 * An expectation that did not hold: what the spec says, what the run did, and the instruction
 * the difference is about (the faulting one, the one that broke a rule or wrote CR3, else the
 * last one), for the diagnostic's source line and macro chain.
 *
 * @param spec the spec line that failed
 * @param where the instruction concerned, or null
 */
public record Mismatch(SpecDirective spec, String expected, String actual, Insn where) {}
