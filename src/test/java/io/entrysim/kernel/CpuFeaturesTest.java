package io.entrysim.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.diag.AsmError;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CpuFeaturesTest {
    @Test
    void numbersFollowTheKernel() {
        // word*32 + bit as in cpufeatures.h: PCID (4*32+17), PTI (7*32+11), KAISER (7*32+31), ALWAYS (3*32+21)
        assertEquals(145L, CpuFeatures.all().get("PCID"));
        assertEquals(235L, CpuFeatures.all().get("PTI"));
        assertEquals(255L, CpuFeatures.all().get("KAISER"));
        assertEquals(117L, CpuFeatures.all().get("ALWAYS"));
    }

    @Test
    void namesAreDistinctNumbers() {
        assertEquals(CpuFeatures.all().size(), Set.copyOf(CpuFeatures.all().values()).size());
    }

    @Test
    void parsesCommaListsCaseInsensitively() {
        assertEquals(Set.of("PTI", "PCID"), CpuFeatures.parse(List.of("pti,PCID", "X86_FEATURE_PTI")));
        assertEquals(Set.of(235L, 145L), CpuFeatures.bits(Set.of("PTI", "PCID")));
    }

    @Test
    void unknownFeatureIsAnError() {
        AsmError e = assertThrows(AsmError.class, () -> CpuFeatures.parse(List.of("PTI,PDIC")));
        assertTrue(e.getMessage().startsWith("unknown CPU feature `PDIC'"), e.getMessage());
    }
}
