package io.entrysim.parse;

import com.google.common.collect.ImmutableList;
import io.entrysim.diag.Origin;
import java.util.List;

/**
 * A directive with its comma-separated arguments. {@code name} keeps the dot and is lower-case
 * (".quad"). An omitted argument, as in {@code .p2align 4,,15}, is {@code WordArg("")}.
 */
public record DirectiveStmt(String name, List<Arg> args, Origin origin) implements Statement {
    public DirectiveStmt {
        args = ImmutableList.copyOf(args);
    }
}
