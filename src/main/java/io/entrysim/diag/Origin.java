package io.entrysim.diag;

import com.google.common.collect.ImmutableList;
import java.util.List;

/**
 * Where a line of text came from: the position of the text itself (e.g. a line of a macro body
 * in calling.h) and the chain of sites that brought it here, innermost first (the macro
 * invocation that expanded it, then the invocation of the enclosing macro, ..., then the
 * {@code #include} sites of the files involved).
 */
public record Origin(SourcePos pos, List<Site> chain) {
    public Origin {
        chain = ImmutableList.copyOf(chain);
    }

    public static Origin at(SourcePos pos) {
        return new Origin(pos, List.of());
    }

    /** This origin as seen through one more (outer) site, e.g. the macro call that expanded it. */
    public Origin within(List<Site> outer) {
        if (outer.isEmpty()) {
            return this;
        }
        return new Origin(pos, ImmutableList.<Site>builder().addAll(chain).addAll(outer).build());
    }

    /** Only the macro sites, innermost first: what {@code in expansion of macro} lines show. */
    public List<Site> macroChain() {
        return chain.stream().filter(s -> s.kind() == Site.Kind.MACRO).toList();
    }

    /** The same origin moved to another column of the same line (for precise diagnostics). */
    public Origin atColumn(int column) {
        return new Origin(new SourcePos(pos.file(), pos.line(), column), chain);
    }
}
