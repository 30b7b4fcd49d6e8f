package io.entrysim.exec;

/**
 * Observes every executed (committed) instruction with what it changed: what {@code --trace}
 * prints and what a debugger records. Faulting instructions change nothing and are not reported;
 * the fault comes back in the {@link RunResult}, or, when it is delivered through the IDT, as a
 * {@link Delivery}.
 */
@FunctionalInterface
public interface StepListener {
    void onStep(StepEvent event);

    /**
     * An exception, NMI or interrupt was delivered through the IDT, at the boundary before step
     * {@link Delivery#beforeStep()}: the next {@link #onStep} is the handler's first instruction.
     */
    default void onDelivery(Delivery delivery) {}
}
