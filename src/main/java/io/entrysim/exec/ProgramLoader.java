package io.entrysim.exec;

import io.entrysim.assemble.DataBlock;
import io.entrysim.assemble.Program;
import io.entrysim.cpu.Memory;

/** Puts a program's initialised data (every {@link DataBlock}) into memory, as a loader would. */
public final class ProgramLoader {
    private ProgramLoader() {}

    /** Host writes: not access-checked, not counted as CPU writes. */
    public static void loadData(Program program, Memory memory) {
        for (DataBlock block : program.data()) {
            memory.writeBytes(block.address(), block.bytes());
        }
    }
}
