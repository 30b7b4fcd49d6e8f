package io.entrysim.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.entrysim.diag.InternalFailure;
import org.junit.jupiter.api.Test;

/** The run's stage boundary: a bug inside a step is reported at the instruction, not thrown raw. */
class RunInternalFailureTest {
    @Test
    void aFailureInsideAStepNamesTheInstruction() {
        Machine m = Machine.create(MachineTest.build("\tmovq $1, %rax\n\taddq $2, %rax\n\thlt\n"), RunSpec.defaults());
        m.setTracer(event -> {
            if (m.steps() == 2) {
                throw new IllegalStateException("tracer broke");
            }
        });
        InternalFailure e = assertThrows(InternalFailure.class, m::run);
        assertEquals("t.S:2:2: internal error: run: IllegalStateException: tracer broke (please report)", e.format());
        Machine stepped = Machine.create(MachineTest.build("\tnop\n\thlt\n"), RunSpec.defaults());
        stepped.setTracer(event -> {
            throw new ArithmeticException();
        });
        assertEquals("t.S:1:2: internal error: run: ArithmeticException (please report)",
                assertThrows(InternalFailure.class, stepped::step).format());
    }
}
