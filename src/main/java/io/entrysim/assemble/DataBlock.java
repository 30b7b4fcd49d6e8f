package io.entrysim.assemble;

/** Initialised bytes the assembler placed at an address (a section's contents). */
public record DataBlock(String section, long address, byte[] bytes) {}
