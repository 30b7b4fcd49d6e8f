package io.entrysim.cpu;

/**
 * A hook consulted before every CPU memory access (not before host accesses such as loading the
 * program or a debugger dump). It models what the page tables in force allow, e.g. the PTI user
 * address-space view, and throws a {@link CpuFault} (normally {@link CpuFault#pageFault}) to refuse.
 * A page-crossing access is checked once, with its full size.
 */
@FunctionalInterface
public interface AccessChecker {
    void check(long address, int size, AccessKind kind);
}
