package io.entrysim.parse;

import io.entrysim.diag.Origin;

/** One parsed statement; a source line yields zero or more (labels come out as their own). */
public sealed interface Statement permits LabelStmt, InstructionStmt, DirectiveStmt, AssignStmt {
    /** The line's origin moved to the column where this statement starts. */
    Origin origin();
}
