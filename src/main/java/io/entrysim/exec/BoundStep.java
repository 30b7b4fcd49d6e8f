package io.entrysim.exec;

/**
 * One instruction's operation with its operand forms resolved when it was first executed (see
 * {@link Binder}): running it is one call, no switch over the opcode and operand kinds. Returns
 * what {@link Semantics#execute} returns: the next index or one of its negative codes.
 */
@FunctionalInterface
interface BoundStep {
    int run(int index);
}
