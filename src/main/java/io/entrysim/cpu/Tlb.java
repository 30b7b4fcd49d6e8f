package io.entrysim.cpu;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The TLB as far as flushing goes: per PCID, whether it holds (non-global) entries and whether
 * they are stale, i.e. the page tables changed after they were cached and nobody flushed them.
 * No translations are modeled. Global entries are not tracked (the kernel never leaves them stale
 * in the flows modeled here).
 *
 * <p>Immutable: every change returns a new value, so a {@link CpuSnapshot} keeps the TLB by
 * reference. Only a handful of PCIDs are ever in play, so the state is three tiny parallel arrays.
 *
 * <p>Rules (SDM Vol. 3, 4.10.4.1): MOV to CR3 with CR4.PCIDE=1 invalidates the new PCID's
 * non-global entries unless bit 63 is set; with PCIDE=0 it invalidates PCID 000H's non-global
 * entries (the only PCID in use then). MOV to CR4 that changes PGE, or clears PCIDE, invalidates
 * everything. The PCID that CR3 then selects starts caching again, so it "holds entries".
 */
public final class Tlb {
    /** What a PCID's TLB entries are: absent (no entries), fresh, or stale. */
    public enum State { EMPTY, FRESH, STALE }

    /**
     * Why a PCID is stale.
     *
     * @param cause the invalidation, in words ("--invalidate user-pcid=1 before the run")
     * @param cr3LogThen the CR3 write log when it happened, so a report can list the writes since
     */
    public record Staleness(String cause, PersistentLog<Cr3Write> cr3LogThen) {}

    public static final int PCID_MASK = 0xFFF;
    /** Kernel PCID N's user twin is N | 0x800 (PTI_USER_PCID_BIT, bit 11). */
    public static final int USER_PCID_BIT = 0x800;

    public static final Tlb EMPTY = new Tlb(new int[0], new State[0], new Staleness[0]);

    private final int[] pcids; // ascending
    private final State[] states;
    private final Staleness[] why;

    private Tlb(int[] pcids, State[] states, Staleness[] why) {
        this.pcids = pcids;
        this.states = states;
        this.why = why;
    }

    public State state(int pcid) {
        int i = Arrays.binarySearch(pcids, pcid);
        return i < 0 ? State.EMPTY : states[i];
    }

    public boolean holdsEntries(int pcid) {
        return state(pcid) != State.EMPTY;
    }

    public boolean isStale(int pcid) {
        return state(pcid) == State.STALE;
    }

    /** Why {@code pcid} is stale, or null if it is not. */
    public Staleness staleness(int pcid) {
        int i = Arrays.binarySearch(pcids, pcid);
        return i < 0 ? null : why[i];
    }

    /** Every PCID that holds entries, ascending, with its state. */
    public Map<Integer, State> entries() {
        Map<Integer, State> out = new LinkedHashMap<>();
        for (int i = 0; i < pcids.length; i++) {
            out.put(pcids[i], states[i]);
        }
        return out;
    }

    // ---- hardware events

    /**
     * A MOV to CR3 selecting {@code pcid} (0 when CR4.PCIDE=0): {@code flush} drops its entries
     * first; either way it is now the active PCID and caches fresh entries, unless it kept
     * stale ones (no-flush).
     */
    public Tlb onCr3Write(int pcid, boolean flush) {
        State s = state(pcid);
        if (s == State.FRESH || (s == State.STALE && !flush)) {
            return this;
        }
        return with(pcid, State.FRESH, null);
    }

    /** Everything invalidated (MOV to CR4 toggling PGE or clearing PCIDE); {@code activePcid} refills. */
    public Tlb flushAllThenLoad(int activePcid) {
        return EMPTY.with(activePcid, State.FRESH, null);
    }

    /** INVPCID single-context (or a flush of a PCID that is not active): it holds nothing afterwards. */
    public Tlb flush(int pcid) {
        return state(pcid) == State.EMPTY ? this : without(pcid);
    }

    // ---- software events (the page tables changed)

    /** The page tables behind {@code pcid} changed: whatever it caches is now stale. */
    public Tlb markStale(int pcid, Staleness staleness) {
        java.util.Objects.requireNonNull(staleness, "staleness");
        return with(pcid & PCID_MASK, State.STALE, staleness);
    }

    /**
     * The kernel changed the page tables of the mm whose kernel PCID is {@code kernelPcid}: the
     * user PCID ({@code kernelPcid | 0x800}) is stale until a CR3 write flushes it, while the
     * kernel PCID needs nothing (the kernel flushed its own entries explicitly).
     */
    public Tlb invalidateUserPcid(int kernelPcid, Staleness staleness) {
        int kern = kernelPcid & ~USER_PCID_BIT & PCID_MASK;
        Tlb t = markStale(kern | USER_PCID_BIT, staleness);
        return t.state(kern) == State.STALE ? t.with(kern, State.FRESH, null) : t;
    }

    /**
     * The last staleness-free change made from this value, and its result: a sweep makes the
     * same CR3 writes from the same TLB state run after run, so it allocates nothing after the
     * first. One immutable object, so threads sharing a value (the empty TLB) never see a torn pair.
     */
    private record Change(int pcid, State state, Tlb result) {}

    private Change lastChange;

    private Tlb with(int pcid, State state, Staleness staleness) {
        if (staleness == null) {
            Change c = lastChange;
            if (c != null && c.pcid == pcid && c.state == state) {
                return c.result;
            }
            Tlb result = computeWith(pcid, state, null);
            lastChange = new Change(pcid, state, result);
            return result;
        }
        return computeWith(pcid, state, staleness);
    }

    private Tlb computeWith(int pcid, State state, Staleness staleness) {
        int i = Arrays.binarySearch(pcids, pcid);
        if (i >= 0) {
            State[] s = states.clone();
            Staleness[] w = why.clone();
            s[i] = state;
            w[i] = staleness;
            return new Tlb(pcids, s, w);
        }
        int at = -i - 1;
        int n = pcids.length;
        int[] p = new int[n + 1];
        State[] s = new State[n + 1];
        Staleness[] w = new Staleness[n + 1];
        System.arraycopy(pcids, 0, p, 0, at);
        System.arraycopy(states, 0, s, 0, at);
        System.arraycopy(why, 0, w, 0, at);
        p[at] = pcid;
        s[at] = state;
        w[at] = staleness;
        System.arraycopy(pcids, at, p, at + 1, n - at);
        System.arraycopy(states, at, s, at + 1, n - at);
        System.arraycopy(why, at, w, at + 1, n - at);
        return new Tlb(p, s, w);
    }

    private Tlb without(int pcid) {
        int i = Arrays.binarySearch(pcids, pcid);
        int n = pcids.length;
        int[] p = new int[n - 1];
        State[] s = new State[n - 1];
        Staleness[] w = new Staleness[n - 1];
        System.arraycopy(pcids, 0, p, 0, i);
        System.arraycopy(states, 0, s, 0, i);
        System.arraycopy(why, 0, w, 0, i);
        System.arraycopy(pcids, i + 1, p, i, n - i - 1);
        System.arraycopy(states, i + 1, s, i, n - i - 1);
        System.arraycopy(why, i + 1, w, i, n - i - 1);
        return new Tlb(p, s, w);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < pcids.length; i++) {
            sb.append(i == 0 ? "" : ", ").append("0x").append(Integer.toHexString(pcids[i])).append('=')
                .append(states[i].name().toLowerCase(java.util.Locale.ROOT));
        }
        return sb.append('}').toString();
    }
}
