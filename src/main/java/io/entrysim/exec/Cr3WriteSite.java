package io.entrysim.exec;

import io.entrysim.assemble.Insn;
import io.entrysim.cpu.Cr3Write;

/** A CR3 write and the instruction (with its source line and macro chain) that made it. */
public record Cr3WriteSite(Cr3Write write, Insn insn) {}
