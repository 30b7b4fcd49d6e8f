package io.entrysim.exec;

import io.entrysim.assemble.Insn;
import io.entrysim.cpu.Cpu;

/**
 * Runs when a stub for an undefined C function is called and returns (not with
 * {@code --stub-calls stop}): the model of what that C function does to the machine. It sees the
 * CPU as the function sees it on entry, arguments intact, before {@code --stub-calls clobber}
 * poisons the caller-saved registers.
 */
@FunctionalInterface
public interface StubCallHandler {
    void called(Insn stub, Cpu cpu);

    /** True when the function returns a value: RAX as {@link #called} left it survives {@code --stub-calls clobber}. */
    default boolean returnsValue() {
        return false;
    }

    /** True when the function changes no register (a {@code ret} thunk): {@code --stub-calls clobber} does not apply. */
    default boolean preservesRegisters() {
        return false;
    }

    /** A model of code that only returns, preserving every register ({@code __x86_return_thunk}: {@code ret}). */
    static StubCallHandler plainReturn() {
        return new StubCallHandler() {
            @Override
            public void called(Insn stub, Cpu cpu) {
            }

            @Override
            public boolean preservesRegisters() {
                return true;
            }
        };
    }

    /** A model of a function that returns a value in RAX ({@code sync_regs}). */
    static StubCallHandler returning(StubCallHandler model) {
        return new StubCallHandler() {
            @Override
            public void called(Insn stub, Cpu cpu) {
                model.called(stub, cpu);
            }

            @Override
            public boolean returnsValue() {
                return true;
            }
        };
    }
}
