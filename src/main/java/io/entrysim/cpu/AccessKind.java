package io.entrysim.cpu;

/** Why the CPU touches memory: a data read, a data write, or an instruction fetch. */
public enum AccessKind {
    READ, WRITE, FETCH
}
