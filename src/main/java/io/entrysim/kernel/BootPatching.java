package io.entrysim.kernel;

import io.entrysim.assemble.CodePatch;
import io.entrysim.assemble.Program;
import io.entrysim.assemble.ProgramPatcher;
import io.entrysim.assemble.SectionExtent;
import io.entrysim.diag.AsmWarning;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the kernel does to its own code at boot, before the entry code first runs: alternatives
 * ({@code .altinstructions}) by the CPU's features, static branches ({@code __jump_table}) by
 * the keys' states. Programs assembled with entrysim's shim headers have neither table (the shims
 * decide at assembly time) and come back unchanged; programs built from a tree's real
 * {@code alternative.h}/{@code jump_label.h} carry the tables, and this applies them.
 *
 * @param program   the patched program
 * @param patched   one line per patched site, for reports ({@code alternative at 0x…: feature 7*32+11})
 * @param keysFound names of the static keys the jump table refers to
 * @param warnings  tables entrysim could not read, sites it could not patch
 */
public record BootPatching(Program program, List<String> patched, Set<String> keysFound, List<AsmWarning> warnings) {

    /**
     * Applies both tables. {@code featureBits} are the boot CPU's feature numbers
     * ({@code X86_FEATURE_ALWAYS} is added, as every CPU has it); {@code staticKeys} maps key
     * symbols to states; {@code names} finds a key's symbol from its address.
     */
    public static BootPatching apply(Program program, Set<Long> featureBits, Map<String, Boolean> staticKeys,
                                     Map<String, Long> names) {
        ImageBytes image = new ImageBytes(program);
        List<CodePatch> patches = new ArrayList<>();
        List<String> patched = new ArrayList<>();
        List<AsmWarning> warnings = new ArrayList<>();
        Set<String> keysFound = new LinkedHashSet<>();

        SectionExtent alt = image.section(Alternatives.SECTION);
        if (alt != null) {
            List<Alternatives.Entry> entries = Alternatives.read(image, alt);
            if (entries == null) {
                warnings.add(new AsmWarning(null, String.format("%s (%d bytes) matches no known struct alt_instr"
                        + " layout: alternatives are not applied", Alternatives.SECTION, alt.size())));
            } else {
                Set<Long> features = new LinkedHashSet<>(featureBits);
                features.add(CpuFeatures.all().get("ALWAYS"));
                for (Alternatives.Entry e : entries) {
                    if (Alternatives.applies(e, features)) {
                        patches.add(Alternatives.patch(program, image, e));
                        patched.add(String.format("alternative at 0x%x (%d bytes): %sfeature %d*32+%d", e.instr(),
                                e.instrLength(), e.inverted() ? "not " : "", e.feature() / 32, e.feature() % 32));
                    }
                }
            }
        }

        SectionExtent jumps = image.section(JumpLabels.SECTION);
        if (jumps != null) {
            List<JumpLabels.Entry> entries = JumpLabels.read(image, jumps);
            if (entries == null) {
                warnings.add(new AsmWarning(null, String.format("%s (%d bytes) matches no known struct jump_entry"
                        + " layout: static keys are not applied", JumpLabels.SECTION, jumps.size())));
            } else {
                for (JumpLabels.Entry e : entries) {
                    String key = nameOf(names, e.key());
                    if (key != null) {
                        keysFound.add(key);
                    }
                    Boolean enabled = key == null ? null : staticKeys.get(key);
                    if (enabled == null) {
                        continue;       // the assembled code is the key's initial state
                    }
                    int size = JumpLabels.siteSize(image, e);
                    CodePatch p = size == 0 ? null : JumpLabels.patch(e, size, enabled != e.branch());
                    if (p == null) {
                        warnings.add(new AsmWarning(Alternatives.originOf(program, e.code()), String.format(
                                "static branch at 0x%x (key %s) holds neither a jump nor a NOP: left as assembled",
                                e.code(), key)));
                        continue;
                    }
                    patches.add(p);
                    patched.add(String.format("static branch at 0x%x: key %s=%d -> %s", e.code(), key,
                            enabled ? 1 : 0, enabled != e.branch() ? "jmp" : "nop"));
                }
            }
        }
        return new BootPatching(ProgramPatcher.apply(program, patches), List.copyOf(patched), Set.copyOf(keysFound),
                List.copyOf(warnings));
    }

    /** The symbol at {@code address} (a key); the first in name order when several, null when none. */
    private static String nameOf(Map<String, Long> names, long address) {
        String best = null;
        for (Map.Entry<String, Long> s : names.entrySet()) {
            if (s.getValue() == address && !s.getKey().startsWith(".L") && (best == null || s.getKey().compareTo(best) < 0)) {
                best = s.getKey();
            }
        }
        return best;
    }
}
