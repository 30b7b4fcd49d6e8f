package io.entrysim.exec;

import io.entrysim.assemble.Insn;
import io.entrysim.cpu.Cpu;

/**
 * Told each time a {@code sysret} or {@code iret} commits and lands at CPL 3, before the next
 * instruction boundary (so before an event injected there is delivered). The CPU is in its
 * post-return state: CPL 3, RIP the user address, CR3 whatever the kernel left. Checks such as
 * "returned to user with a stale user-PCID TLB" hang off this.
 */
@FunctionalInterface
public interface ReturnToUserListener {
    void onReturnToUser(Cpu cpu, Insn returnInsn);
}
