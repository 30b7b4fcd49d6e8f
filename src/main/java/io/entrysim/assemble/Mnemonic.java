package io.entrysim.assemble;

/**
 * A mnemonic as written, resolved: the operation, the size its suffix names (0 = none, size
 * from the operands), the condition of j/set/cmov forms, and for movzx/movsx the source size.
 */
record Mnemonic(Op op, int suffixSize, Cond cond, int srcSize) {}
