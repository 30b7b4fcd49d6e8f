package io.entrysim.macro;

import io.entrysim.diag.Origin;
import io.entrysim.source.SourceLine;
import java.util.List;

/**
 * A macro as defined by {@code .macro}: its name as written, its parameters, and its body
 * statements (scrubbed as gas stores them, labels still attached) with the origin of each.
 */
public record MacroDef(String name, List<MacroParam> params, List<SourceLine> body, Origin definedAt) {
    public MacroDef {
        params = List.copyOf(params);
        body = List.copyOf(body);
    }
}
