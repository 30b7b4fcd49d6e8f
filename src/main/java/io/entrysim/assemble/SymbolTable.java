package io.entrysim.assemble;

import io.entrysim.diag.AsmError;
import io.entrysim.diag.Origin;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Symbols (labels and {@code .set}/{@code .equ} values) and gas numeric local labels
 * ({@code 1:} with {@code 1f}/{@code 1b} references), which may be defined many times.
 */
final class SymbolTable {
    private enum Kind { LABEL, ASSIGNED, EQUIV }

    /** {@code absolute}: a number, not an address (a label, or a value computed from one). */
    private record Entry(long value, Kind kind, Origin origin, boolean absolute) {}

    /** A definition of a numeric label: its position in the statement stream and its address. */
    private record LocalDef(int position, long address) {}

    private final Map<String, Entry> symbols = new LinkedHashMap<>();
    private final Map<Integer, List<LocalDef>> locals = new HashMap<>();
    /** Definitions of each numeric label seen so far in the current walk. */
    private final Map<Integer, Integer> localsThisWalk = new HashMap<>();
    /** Whether a label or numeric label got another address than in the previous walk. */
    private boolean moved;

    /**
     * A new layout walk begins: every symbol keeps its value from the previous walk, which is
     * what a forward reference sees until the walk redefines it.
     */
    void beginWalk() {
        moved = false;
        firstMove = null;
        localsThisWalk.clear();
        definedThisWalk.clear();
    }

    /** Labels defined so far in the current walk: the others' values are the previous walk's. */
    private final java.util.Set<String> definedThisWalk = new java.util.HashSet<>();

    /** Whether {@code name} is a label not (yet) defined in this walk, whose value is from the previous walk. */
    boolean isLabelFurtherOn(String name) {
        Entry e = symbols.get(name);
        return e != null && e.kind == Kind.LABEL && !definedThisWalk.contains(name);
    }

    /** The first label that moved in this walk, where it is defined (null: none, or a numeric one). */
    private Origin firstMove;

    Origin firstMove() {
        return firstMove;
    }

    /** True when some label's address changed during this walk (the layout has not settled). */
    boolean moved() {
        return moved;
    }

    Long value(String name) {
        Entry e = symbols.get(name);
        return e == null ? null : e.value;
    }

    boolean isLabel(String name) {
        Entry e = symbols.get(name);
        return e != null && e.kind == Kind.LABEL;
    }

    /**
     * The first walk defines labels (a second definition is an error); later walks see them
     * again and note when one moved.
     */
    void defineLabel(String name, long address, Origin origin, boolean firstWalk) {
        Entry old = symbols.get(name);
        if (firstWalk && old != null) {
            throw new AsmError(origin, "symbol `" + name + "' is already defined");
        }
        if (old != null && old.value != address) {
            if (!moved) {
                firstMove = origin;
            }
            moved = true;
        }
        definedThisWalk.add(name);
        symbols.put(name, new Entry(address, Kind.LABEL, origin, false));
    }

    /** The value of {@code name} when it is an absolute number (gas's absolute section), else null. */
    Long absoluteValue(String name) {
        Entry e = symbols.get(name);
        return e != null && e.absolute ? e.value : null;
    }

    void assign(String name, long value, boolean absolute, boolean equiv, Origin origin, boolean firstWalk) {
        Entry old = symbols.get(name);
        if (firstWalk && old != null && (old.kind == Kind.LABEL || (equiv && old.kind != Kind.LABEL))) {
            throw new AsmError(origin, "symbol `" + name + "' is already defined");
        }
        symbols.put(name, new Entry(value, equiv ? Kind.EQUIV : Kind.ASSIGNED, origin, absolute));
    }

    void defineLocal(int label, int position, long address, Origin origin) {
        List<LocalDef> defs = locals.computeIfAbsent(label, k -> new ArrayList<>());
        int k = localsThisWalk.merge(label, 1, Integer::sum) - 1;
        if (k == defs.size()) {
            defs.add(new LocalDef(position, address));
        } else if (defs.get(k).address != address) {
            defs.set(k, new LocalDef(position, address));
            if (!moved) {
                firstMove = origin;
            }
            moved = true;
        }
    }

    /** {@code Nb}: the last definition at or before {@code position}; {@code Nf}: the first after it. */
    Long local(int label, boolean forward, int position) {
        LocalDef d = localDef(label, forward, position);
        return d == null ? null : d.address;
    }

    /** The statement position of the definition {@code Nf}/{@code Nb} names from {@code position}, or -1. */
    int localPosition(int label, boolean forward, int position) {
        LocalDef d = localDef(label, forward, position);
        return d == null ? -1 : d.position;
    }

    /** The statement position where label {@code name} is defined, or -1 (not a label, not yet seen). */
    int labelPosition(String name) {
        Integer p = labelPositions.get(name);
        return p == null ? -1 : p;
    }

    private final Map<String, Integer> labelPositions = new HashMap<>();

    void noteLabelPosition(String name, int position) {
        labelPositions.putIfAbsent(name, position);
    }

    private LocalDef localDef(int label, boolean forward, int position) {
        List<LocalDef> defs = locals.get(label);
        if (defs == null) {
            return null;
        }
        LocalDef found = null;
        for (LocalDef d : defs) {
            if (forward ? d.position > position : d.position <= position) {
                found = d;
                if (forward) {
                    break;
                }
            } else if (!forward) {
                break;
            }
        }
        return found;
    }

    Map<String, Long> snapshot() {
        Map<String, Long> out = new LinkedHashMap<>();
        symbols.forEach((k, v) -> out.put(k, v.value));
        return out;
    }
}
