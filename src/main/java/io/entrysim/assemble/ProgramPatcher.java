package io.entrysim.assemble;

import io.entrysim.diag.Origin;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A program with {@link CodePatch}es applied: what the image looks like after the kernel patched
 * itself at boot, before the first instruction runs. The bytes change; the instructions in each
 * patched range are decoded again from the new bytes (they are what the CPU runs), keep their
 * place in the instruction order, and carry the provenance of the bytes they were copied from;
 * every direct branch is re-resolved by address.
 */
public final class ProgramPatcher {
    private ProgramPatcher() {}

    /** The program with {@code patches} applied in order (a later patch over an earlier one wins). */
    public static Program apply(Program program, List<CodePatch> patches) {
        if (patches.isEmpty()) {
            return program;
        }
        List<DataBlock> blocks = patchedBlocks(program.data(), patches);
        MachineCodeDecoder.ByteSource bytes = reader(blocks);

        Insn[] old = program.code();
        boolean[] dropped = new boolean[old.length];
        // decoded instructions to insert, keyed by the old index they go before (old.length: at the end)
        Map<Integer, List<Insn>> inserted = new HashMap<>();
        NavigableMap<Long, Origin> origins = new TreeMap<>(program.emittedByMap());
        for (long[] range : ranges(patches)) {
            List<Insn> decoded = new ArrayList<>();
            long at = range[0];
            while (Long.compareUnsigned(at, range[1]) < 0) {
                Decoded d;
                try {
                    d = MachineCodeDecoder.decode(bytes, at);
                } catch (MachineCodeDecoder.NoByte outside) {
                    break;
                }
                if (!(d instanceof Decoded.Instruction i)) {
                    break;      // left to the executor, which decodes it again and raises #UD there
                }
                decoded.add(i.insn().withOrigin(originOf(program, patches, at)));
                at = i.insn().nextAddress;
            }
            long decodedEnd = Math.max(at, range[1]);
            int anchor = -1;
            for (int k = 0; k < old.length; k++) {
                if (Long.compareUnsigned(old[k].address, decodedEnd) < 0
                        && Long.compareUnsigned(old[k].nextAddress, range[0]) > 0) {
                    dropped[k] = true;
                    anchor = anchor < 0 ? k : anchor;
                }
            }
            if (anchor < 0) {
                anchor = insertionPoint(program, old, range[0]);
            }
            inserted.computeIfAbsent(anchor, k -> new ArrayList<>()).addAll(decoded);
            Origin after = program.emittedBy(range[1]);
            for (Insn i : decoded) {
                origins.put(i.address, i.origin);
            }
            recordPadding(program, patches, origins, range);
            if (after != null && !origins.containsKey(range[1])) {
                origins.put(range[1], after);
            }
        }

        List<Insn> code = new ArrayList<>(old.length);
        for (int k = 0; k <= old.length; k++) {
            code.addAll(inserted.getOrDefault(k, List.of()));
            if (k < old.length && !dropped[k]) {
                code.add(old[k]);
            }
        }
        Insn[] out = retarget(code, old);
        return new Program(out, blocks, program.symbols(), program.sections(), origins);
    }

    /** Where the instructions decoded in a range that replaced none go: after the last one before it in its section. */
    private static int insertionPoint(Program program, Insn[] old, long address) {
        SectionExtent section = program.sectionAt(address);
        int best = -1;
        for (int k = 0; k < old.length; k++) {
            if (section != null && section.contains(old[k].address) && Long.compareUnsigned(old[k].address, address) < 0
                    && (best < 0 || Long.compareUnsigned(old[k].address, old[best].address) > 0)) {
                best = k;
            }
        }
        return best < 0 ? old.length : best + 1;
    }

    /** The line a decoded instruction at {@code at} comes from: the copied bytes' line, else the site's. */
    private static Origin originOf(Program program, List<CodePatch> patches, long at) {
        for (int p = patches.size() - 1; p >= 0; p--) {
            CodePatch patch = patches.get(p);
            long offset = at - patch.address();
            if (offset >= 0 && offset < patch.bytes().length) {
                if (offset < patch.copiedLength()) {
                    long source = patch.copiedFrom() + offset;
                    int index = program.indexOf(source);
                    return index >= 0 ? program.code()[index].origin : program.emittedBy(source);
                }
                break;
            }
        }
        return program.emittedBy(at);
    }

    /** Padding after copied bytes belongs to the site again (NOPs the kernel wrote there). */
    private static void recordPadding(Program program, List<CodePatch> patches, NavigableMap<Long, Origin> origins,
                                      long[] range) {
        for (CodePatch patch : patches) {
            long pad = patch.address() + patch.copiedLength();
            if (patch.copiedLength() > 0 && Long.compareUnsigned(pad, patch.end()) < 0
                    && Long.compareUnsigned(pad, range[0]) >= 0 && Long.compareUnsigned(pad, range[1]) < 0
                    && !origins.containsKey(pad)) {
                Origin site = program.emittedBy(pad);
                if (site != null) {
                    origins.put(pad, site);
                }
            }
        }
    }

    /** Direct branches point at instruction indices: after insertions and removals, find them again by address. */
    private static Insn[] retarget(List<Insn> code, Insn[] old) {
        Map<Long, Integer> indexAt = new HashMap<>();
        for (int k = 0; k < code.size(); k++) {
            indexAt.putIfAbsent(code.get(k).address, k);
        }
        Insn[] out = new Insn[code.size()];
        for (int k = 0; k < out.length; k++) {
            Insn i = code.get(k);
            if (i.isDirectBranch()) {
                long destination = i.targetAddress != Insn.NO_TARGET_ADDRESS ? i.targetAddress
                        : i.target < old.length ? old[i.target].address : Insn.NO_TARGET_ADDRESS;
                int target = destination == Insn.NO_TARGET_ADDRESS ? -1 : indexAt.getOrDefault(destination, -1);
                i = new Insn(i.op, i.size, i.srcSize, i.cond, i.operands, target, destination, i.address,
                        i.nextAddress, i.text, i.origin, i.stubSymbol);
            }
            out[k] = i;
        }
        return out;
    }

    /** The address ranges the patches cover, merged and in address order. */
    private static List<long[]> ranges(List<CodePatch> patches) {
        List<long[]> sorted = new ArrayList<>();
        for (CodePatch p : patches) {
            sorted.add(new long[] {p.address(), p.end()});
        }
        sorted.sort(Comparator.comparingLong((long[] r) -> r[0] ^ Long.MIN_VALUE));
        List<long[]> merged = new ArrayList<>();
        for (long[] r : sorted) {
            long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && Long.compareUnsigned(r[0], last[1]) <= 0) {
                last[1] = Long.compareUnsigned(r[1], last[1]) > 0 ? r[1] : last[1];
            } else {
                merged.add(r);
            }
        }
        return merged;
    }

    private static List<DataBlock> patchedBlocks(List<DataBlock> data, List<CodePatch> patches) {
        List<DataBlock> out = new ArrayList<>(data.size());
        for (DataBlock b : data) {
            out.add(new DataBlock(b.section(), b.address(), b.bytes().clone()));
        }
        for (CodePatch p : patches) {
            for (int k = 0; k < p.bytes().length; k++) {
                long a = p.address() + k;
                DataBlock block = out.stream().filter(b -> Long.compareUnsigned(a - b.address(), b.bytes().length) < 0)
                        .findFirst().orElseThrow(() -> new IllegalArgumentException(
                                String.format("patch byte at 0x%x is outside the program's bytes", a)));
                block.bytes()[(int) (a - block.address())] = p.bytes()[k];
            }
        }
        return out;
    }

    private static MachineCodeDecoder.ByteSource reader(List<DataBlock> blocks) {
        DataBlock[] sorted = blocks.toArray(new DataBlock[0]);
        Arrays.sort(sorted, Comparator.comparingLong(b -> b.address() ^ Long.MIN_VALUE));
        return a -> {
            for (DataBlock b : sorted) {
                long offset = a - b.address();
                if (Long.compareUnsigned(offset, b.bytes().length) < 0) {
                    return b.bytes()[(int) offset] & 0xff;
                }
            }
            throw new MachineCodeDecoder.NoByte(a);
        };
    }
}
