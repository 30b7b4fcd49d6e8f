package io.entrysim.cpu;

/**
 * A named range of linear addresses and how the page tables map it. A PTI kernel has two views
 * of the address space, one per half of the 8 KiB PGD pair: {@code kernelView} (CR3 bit 12
 * clear) and {@code userView} (bit 12 set). Regions may be as small as one variable, although
 * real page tables map whole 4 KiB pages (the kernel page-aligns what it user-maps).
 *
 * @param userPage the U/S bit: user-mode (CPL 3) accesses are allowed; SMEP/SMAP apply to
 *     supervisor accesses to it
 * @param writable the R/W bit (CR0.WP=1 is assumed, so supervisor writes honour it too)
 * @param executable NX clear
 */
public record Region(String name, long start, long size, boolean userView, boolean kernelView,
                     boolean executable, boolean writable, boolean userPage) {
    public Region {
        if (size <= 0) {
            throw new IllegalArgumentException("region " + name + ": size must be positive");
        }
        if (Long.compareUnsigned(start + size - 1, start) < 0) {
            throw new IllegalArgumentException("region " + name + " wraps past 2^64");
        }
    }

    /** The last address inside the region (inclusive, so a region may end at 2^64). */
    public long last() {
        return start + size - 1;
    }

    public boolean contains(long address) {
        return Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, last()) <= 0;
    }

    public boolean visibleIn(boolean userPageTables) {
        return userPageTables ? userView : kernelView;
    }

    /** "user", "kernel", "both" or "none". */
    public String views() {
        return userView && kernelView ? "both" : userView ? "user" : kernelView ? "kernel" : "none";
    }

    @Override
    public String toString() {
        return name + " [0x" + Long.toHexString(start) + "-0x" + Long.toHexString(last()) + "] " + views()
            + (executable ? " x" : "") + (writable ? "" : " ro") + (userPage ? " us" : "");
    }
}
