package io.entrysim.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The page tables of one mm under PTI, as an {@link AccessChecker}: the CR3 in force selects the
 * view (bit 12, {@link #USER_PGTABLE_BIT}, set: the user half of the PGD pair), and an access the
 * view does not allow raises #PF with the SDM error code (Vol. 3, 4.7): P (present, i.e. a
 * protection violation rather than not-mapped), W/R, U/S (CPL 3), I/D (fetch). Non-canonical
 * addresses raise #GP(0). SMEP and SMAP (CR4) apply to supervisor accesses to user pages.
 *
 * <p>Regions may overlap; where they do, the one declared last wins (so a user-mapped per-CPU
 * variable can sit inside a kernel-only per-CPU area). Each view is flattened once into sorted,
 * disjoint intervals, so a check is a one-entry cache probe or a binary search.
 */
public final class AddressSpace implements AccessChecker {
    /** PTI_USER_PGTABLE_BIT: CR3 bit 12 selects the user copy of the 8 KiB PGD pair. */
    public static final long USER_PGTABLE_BIT = 1L << 12;

    private final Cpu cpu;
    private final List<Region> regions;
    private final View user;
    private final View kernel;
    /**
     * Demand pages: {@code [demandFirst, demandEnd)} is mapped by its regions but each page is
     * not present until the kernel maps it ({@link #mapDemandPage}), as an anonymous mapping is
     * before its first touch. Page {@code i}'s present bit is byte {@code i} at {@code
     * demandPresence}, an address no region maps (so programs cannot reach it): kept in memory,
     * snapshots and restores cover it.
     */
    private long demandFirst;
    private long demandEnd;
    private long demandPresence;

    public AddressSpace(Cpu cpu, List<Region> regions) {
        this.cpu = cpu;
        this.regions = List.copyOf(regions);
        this.user = new View(this.regions, true);
        this.kernel = new View(this.regions, false);
    }

    /** Builds the address space and installs it as {@code cpu}'s memory access check. */
    public static AddressSpace install(Cpu cpu, List<Region> regions) {
        AddressSpace space = new AddressSpace(cpu, regions);
        cpu.memory().setAccessChecker(space);
        return space;
    }

    public List<Region> regions() {
        return regions;
    }

    /**
     * Makes the {@code pages} 4 KiB pages from {@code first} (page-aligned, inside mapped regions)
     * not present until {@link #mapDemandPage}; their present bits live at {@code presence}.
     */
    public void setDemandPages(long first, int pages, long presence) {
        if ((first & (Memory.PAGE_SIZE - 1)) != 0 || pages < 0) {
            throw new IllegalArgumentException("demand pages must be whole pages");
        }
        demandFirst = first;
        demandEnd = first + (long) pages * Memory.PAGE_SIZE;
        demandPresence = presence;
    }

    private boolean overlapsDemand(long lo, long hi) {
        return demandEnd != demandFirst && Long.compareUnsigned(lo, demandEnd - 1) <= 0
            && Long.compareUnsigned(hi, demandFirst) >= 0;
    }

    /** True when {@code address} is in a demand page not mapped yet. */
    public boolean notPresent(long address) {
        return demandEnd != demandFirst && Long.compareUnsigned(address - demandFirst, demandEnd - demandFirst) < 0
            && cpu.memory().peek(demandPresence + ((address - demandFirst) >>> Memory.PAGE_SHIFT), 1) == 0;
    }

    /** The kernel's fault handler maps the demand page holding {@code address}; false if it is none. */
    public boolean mapDemandPage(long address) {
        if (Long.compareUnsigned(address - demandFirst, demandEnd - demandFirst) >= 0) {
            return false;
        }
        cpu.memory().poke(demandPresence + ((address - demandFirst) >>> Memory.PAGE_SHIFT), 1, 1);
        return true;
    }

    public static boolean isUserView(long cr3) {
        return (cr3 & USER_PGTABLE_BIT) != 0;
    }

    /** The region mapping {@code address} in the user ({@code true}) or kernel view, or null. */
    public Region lookup(long address, boolean userView) {
        return (userView ? user : kernel).find(address);
    }

    @Override
    public void check(long address, int size, AccessKind kind) {
        if (!Canonical.isCanonical(address, size)) {
            throw Canonical.nonCanonical(address, size, false);
        }
        boolean userView = isUserView(cpu.cr3());
        long last = address + size - 1;
        boolean fetch = kind == AccessKind.FETCH;
        if (fetch && fetchPassed(address, last, userView)) {
            return;
        }
        View view = userView ? user : kernel;
        long a = address;
        while (true) {
            // A page-crossing access is checked span by span; a fault names its first bad byte.
            int span = fetch ? view.fetchSpan(a) : view.span(a);
            checkOne(span < 0 ? null : view.owner[span], a, kind, userView);
            if (demandEnd != demandFirst) {
                checkPresent(a, span < 0 ? last : view.hi[span], last, kind);
            }
            if (Long.compareUnsigned(last, view.hi[span]) <= 0 || view.hi[span] == -1L) {
                // a span with a demand page is not remembered: a restore can make the page not present again
                if (fetch && a == address && !overlapsDemand(view.lo[span], view.hi[span])) {
                    passedFetch(view.lo[span], view.hi[span], userView);
                }
                return;
            }
            a = view.hi[span] + 1;
        }
    }

    /** #PF (P=0) when the bytes from {@code from} to the span's or the access's end reach a demand page not mapped yet. */
    private void checkPresent(long from, long spanLast, long last, AccessKind kind) {
        long to = Long.compareUnsigned(last, spanLast) <= 0 ? last : spanLast;
        for (long page = from & -Memory.PAGE_SIZE; ; page += Memory.PAGE_SIZE) {
            long first = Long.compareUnsigned(page, from) < 0 ? from : page;
            if (notPresent(first)) {
                throw fault(first, accessBits(kind, cpu.cpl()), kind,
                    "not present (a demand page the kernel has not mapped yet)");
            }
            if (Long.compareUnsigned(to - page, Memory.PAGE_SIZE) < 0) {
                return;
            }
        }
    }

    // The span of the last fetch that passed and the state it passed in: a fetch's verdict
    // depends only on the span's region, the view, the CPL and CR4 (SMEP), so a fetch inside
    // the same span in the same state passes without a lookup (the executor checks every one).
    private boolean fetchOk;
    private long fetchOkLo;
    private long fetchOkHi;
    private boolean fetchOkUserView;
    private int fetchOkCpl;
    private long fetchOkCr4;

    private boolean fetchPassed(long address, long last, boolean userView) {
        return fetchOk
            && Long.compareUnsigned(address, last) <= 0
            && Long.compareUnsigned(address - fetchOkLo, fetchOkHi - fetchOkLo) <= 0
            && Long.compareUnsigned(last - fetchOkLo, fetchOkHi - fetchOkLo) <= 0
            && userView == fetchOkUserView && cpu.cpl() == fetchOkCpl && cpu.cr4() == fetchOkCr4;
    }

    private void passedFetch(long lo, long hi, boolean userView) {
        fetchOk = true;
        fetchOkLo = lo;
        fetchOkHi = hi;
        fetchOkUserView = userView;
        fetchOkCpl = cpu.cpl();
        fetchOkCr4 = cpu.cr4();
    }

    private void checkOne(Region r, long address, AccessKind kind, boolean userView) {
        int cpl = cpu.cpl();
        int access = accessBits(kind, cpl);
        if (r == null) {
            throw fault(address, access, kind, "not mapped in the " + viewName(userView) + elsewhere(address, userView));
        }
        String what;
        if (cpl == 3 && !r.userPage()) {
            what = "a supervisor page (" + r.name() + ") accessed at CPL 3";
        } else if (kind == AccessKind.WRITE && !r.writable()) {
            what = "read-only (" + r.name() + ")";
        } else if (kind == AccessKind.FETCH && !r.executable()) {
            what = "not executable (" + r.name() + ", NX)";
        } else if (cpl < 3 && r.userPage() && kind == AccessKind.FETCH && (cpu.cr4() & Cpu.CR4_SMEP) != 0) {
            what = "a user page (" + r.name() + ") fetched at CPL " + cpl + " with CR4.SMEP=1";
        } else if (cpl < 3 && r.userPage() && kind != AccessKind.FETCH && (cpu.cr4() & Cpu.CR4_SMAP) != 0
            && !cpu.flag(Flags.AC)) {
            what = "a user page (" + r.name() + ") accessed at CPL " + cpl + " with CR4.SMAP=1 and RFLAGS.AC=0";
        } else {
            return;
        }
        throw fault(address, access | CpuFault.PF_PRESENT, kind, what + " in the " + viewName(userView));
    }

    /** The #PF error code's W/R, U/S and I/D bits for an access of {@code kind} at {@code cpl}. */
    private static int accessBits(AccessKind kind, int cpl) {
        return (kind == AccessKind.WRITE ? CpuFault.PF_WRITE : 0)
            | (cpl == 3 ? CpuFault.PF_USER : 0)
            | (kind == AccessKind.FETCH ? CpuFault.PF_FETCH : 0);
    }

    private CpuFault fault(long address, int error, AccessKind kind, String why) {
        String verb = switch (kind) {
            case READ -> "read of";
            case WRITE -> "write to";
            case FETCH -> "instruction fetch at";
        };
        return CpuFault.pageFault(address, error, verb + " 0x" + Long.toHexString(address) + ": " + why)
            .withCr3(cpu.cr3());
    }

    private static String viewName(boolean userView) {
        return userView ? "user page tables" : "kernel page tables";
    }

    private String elsewhere(long address, boolean userView) {
        Region other = (userView ? kernel : user).find(address);
        return other == null ? "" : " (" + other.name() + " is mapped only in the " + viewName(!userView) + ")";
    }

    /** One view flattened to sorted disjoint intervals {@code [lo[i], hi[i]]}, compared unsigned. */
    private static final class View {
        private final long[] lo;
        private final long[] hi;
        private final Region[] owner;
        private int cached = -1;
        private int previous = -1;
        private int cachedFetch = -1;

        View(List<Region> all, boolean userView) {
            List<Region> visible = new ArrayList<>();
            TreeSet<Long> cuts = new TreeSet<>(Long::compareUnsigned);
            for (Region r : all) {
                if (r.visibleIn(userView)) {
                    visible.add(r);
                    cuts.add(r.start());
                    if (r.last() != -1L) {
                        cuts.add(r.last() + 1);
                    }
                }
            }
            List<long[]> spans = new ArrayList<>();
            List<Region> owners = new ArrayList<>();
            Long[] points = cuts.toArray(new Long[0]);
            for (int i = 0; i < points.length; i++) {
                long from = points[i];
                long to = i + 1 < points.length ? points[i + 1] - 1 : -1L;
                Region win = null;
                for (Region r : visible) {
                    if (r.contains(from)) {
                        win = r; // last declared wins
                    }
                }
                if (win == null) {
                    continue;
                }
                to = Long.compareUnsigned(to, win.last()) > 0 ? win.last() : to;
                int n = owners.size();
                if (n > 0 && owners.get(n - 1) == win && spans.get(n - 1)[1] + 1 == from) {
                    spans.get(n - 1)[1] = to;
                } else {
                    spans.add(new long[] {from, to});
                    owners.add(win);
                }
            }
            lo = new long[spans.size()];
            hi = new long[spans.size()];
            owner = owners.toArray(new Region[0]);
            for (int i = 0; i < lo.length; i++) {
                lo[i] = spans.get(i)[0];
                hi[i] = spans.get(i)[1];
            }
        }

        Region find(long address) {
            int i = span(address);
            return i < 0 ? null : owner[i];
        }

        /**
         * As {@link #span}, with a cache of its own: fetches stay in the code's span while data
         * accesses go back and forth between others (stack, per-CPU area), so one shared entry
         * would miss on nearly every access.
         */
        int fetchSpan(long address) {
            int c = cachedFetch;
            if (c >= 0 && Long.compareUnsigned(address - lo[c], hi[c] - lo[c]) <= 0) {
                return c;
            }
            c = search(address);
            if (c >= 0) {
                cachedFetch = c;
            }
            return c;
        }

        /** Index of the span holding {@code address}, or -1 (two cached: the last two data spans hit). */
        int span(long address) {
            int c = cached;
            if (c >= 0 && Long.compareUnsigned(address - lo[c], hi[c] - lo[c]) <= 0) {
                return c;
            }
            int p = previous;
            if (p >= 0 && Long.compareUnsigned(address - lo[p], hi[p] - lo[p]) <= 0) {
                previous = c;
                cached = p;
                return p;
            }
            int found = search(address);
            if (found >= 0) {
                previous = c;
                cached = found;
            }
            return found;
        }

        private int search(long address) {
            int a = 0, b = lo.length - 1;
            while (a <= b) {
                int m = (a + b) >>> 1;
                if (Long.compareUnsigned(address, lo[m]) < 0) {
                    b = m - 1;
                } else if (Long.compareUnsigned(address, hi[m]) > 0) {
                    a = m + 1;
                } else {
                    return m;
                }
            }
            return -1;
        }
    }
}
