package io.entrysim.check;

import io.entrysim.cpu.Cr3Write;
import io.entrysim.assemble.Insn;
import io.entrysim.exec.Cr3WriteSite;
import io.entrysim.exec.StopReason;
import io.entrysim.exec.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One {@code ENTRYSIM-EXPECT:} line, parsed ({@link Expectations#parse}): a claim about a finished
 * run, {@link #check checked} against its {@link Observation}.
 */
public sealed interface Expectation {
    /** The spec line it came from. */
    SpecDirective spec();

    /** Null when the claim holds, else what differs. */
    Mismatch check(Observation o);

    /** {@code stop == LABEL} (or {@code !=}). */
    record Stop(SpecDirective spec, boolean equal, StopReason reason) implements Expectation {
        @Override
        public Mismatch check(Observation o) {
            StopReason got = o.outcome().stop();
            if ((got == reason) == equal) {
                return null;
            }
            String detail = o.outcome().fault() != null ? " (" + o.outcome().fault().summary() + ")"
                    : o.outcome().detail() != null ? " (" + o.outcome().detail() + ")" : "";
            return new Mismatch(spec, "stop " + (equal ? "== " : "!= ") + reason.label(), "stop: " + got.label() + detail,
                    o.where());
        }
    }

    /** {@code no fault}. */
    record NoFault(SpecDirective spec) implements Expectation {
        @Override
        public Mismatch check(Observation o) {
            return o.outcome().fault() == null ? null
                    : new Mismatch(spec, "no fault", "fault " + o.outcome().fault().summary(), o.where());
        }
    }

    /** {@code fault #PF} or {@code fault #PF at FILE:LINE} (FILE matched as a path suffix). */
    record Fault(SpecDirective spec, String vector, String atFile, int atLine) implements Expectation {
        @Override
        public Mismatch check(Observation o) {
            String want = "fault " + vector + (atFile == null ? "" : " at " + atFile + ":" + atLine);
            var fault = o.outcome().fault();
            if (fault == null) {
                return new Mismatch(spec, want, "no fault (stop: " + o.outcome().stop().label() + ")", o.where());
            }
            Insn insn = o.where();
            io.entrysim.diag.Origin at = insn == null ? null : insn.origin;
            boolean vectorOk = fault.vector().equalsIgnoreCase(vector);
            boolean placeOk = atFile == null || at != null && at.pos().line() == atLine
                    && (at.pos().file().equals(atFile) || at.pos().file().endsWith("/" + atFile));
            if (vectorOk && placeOk) {
                return null;
            }
            return new Mismatch(spec, want, "fault " + fault.summary()
                    + (at == null ? "" : " at " + at.pos().fileLine()), insn);
        }
    }

    /** {@code no violation}: no broken rule (lost flush, PCID bits without PCIDE, strict-flags read). */
    record NoViolation(SpecDirective spec) implements Expectation {
        @Override
        public Mismatch check(Observation o) {
            if (!o.outcome().violations().isEmpty()) {
                Violation v = o.outcome().violations().get(0);
                return new Mismatch(spec, "no violation", v.kind() + ": " + v.message(), v.at());
            }
            if (!o.outcome().flagViolations().isEmpty()) {
                var f = o.outcome().flagViolations().get(0);
                return new Mismatch(spec, "no violation", f.message(), f.insn());
            }
            return null;
        }
    }

    /** {@code violation KIND}: the run broke that rule (at least once). */
    record ViolationOf(SpecDirective spec, String kind) implements Expectation {
        @Override
        public Mismatch check(Observation o) {
            for (Violation v : o.outcome().violations()) {
                if (v.kind().equals(kind)) {
                    return null;
                }
            }
            List<String> kinds = o.outcome().violations().stream().map(Violation::kind).toList();
            return new Mismatch(spec, "violation " + kind, kinds.isEmpty() ? "no violation" : "violations " + kinds, o.where());
        }
    }

    /** {@code LHS OP RHS} over the final state: {@code cr3 == 0x1c0b801}, {@code mem16 %gs:X == 0}. */
    record Compare(SpecDirective spec, StateExpression left, String op, StateExpression right) implements Expectation {
        @Override
        public Mismatch check(Observation o) {
            long l = left.value(o);
            long r = right.value(o);
            int c = Long.compareUnsigned(l, r);
            boolean holds = switch (op) {
                case "==" -> l == r;
                case "!=" -> l != r;
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                case ">" -> c > 0;
                default -> c >= 0;
            };
            if (holds) {
                return null;
            }
            String actual = left.text() + " is " + hex(l);
            if (!right.isConstant()) {
                actual += ", " + right.text() + " is " + hex(r);
            }
            return new Mismatch(spec, spec.text(), actual, o.where());
        }
    }

    /** {@code cr3-writes == [flush 0x…, noflush 0x…]}: the CR3 writes, in order, with their flush bit. */
    record Cr3Writes(SpecDirective spec, List<String> values) implements Expectation {
        @Override
        public Mismatch check(Observation o) {
            List<String> want = new ArrayList<>();
            for (String v : values) {
                int space = v.indexOf(' ');
                long value = o.machine().expressions().value(v.substring(space + 1), "ENTRYSIM-EXPECT cr3-writes",
                        Map.of(), spec.origin());
                // bit 63 is the write's no-flush request, never stored: the word before the value says it
                want.add(v.substring(0, space) + " " + hex(value & ~(1L << 63)));
            }
            List<String> got = new ArrayList<>();
            for (Cr3WriteSite w : o.cr3Writes()) {
                got.add(describe(w.write()));
            }
            if (want.equals(got)) {
                return null;
            }
            // the first write that differs is the instruction to show
            Insn where = o.where();
            for (int i = 0; i < o.cr3Writes().size(); i++) {
                if (i >= want.size() || !want.get(i).equals(got.get(i))) {
                    where = o.cr3Writes().get(i).insn();
                    break;
                }
            }
            return new Mismatch(spec, "cr3-writes == [" + String.join(", ", want) + "]",
                    "cr3-writes == [" + String.join(", ", got) + "]", where);
        }

        static String describe(Cr3Write w) {
            return (w.noFlush() ? "noflush " : "flush ") + hex(w.stored());
        }
    }

    /** {@code unchanged rbx,rbp,r12-r15}: each ends as it began. */
    record Unchanged(SpecDirective spec, List<String> names) implements Expectation {
        @Override
        public Mismatch check(Observation o) {
            Map<String, Long> now = StateValues.read(o.cpu());
            List<String> changed = new ArrayList<>();
            for (String n : names) {
                if (!now.get(n).equals(o.initial().get(n))) {
                    changed.add(n + " " + hex(o.initial().get(n)) + " -> " + hex(now.get(n)));
                }
            }
            return changed.isEmpty() ? null
                    : new Mismatch(spec, "unchanged " + String.join(",", names), "changed: " + String.join(", ", changed),
                            o.where());
        }
    }

    /**
     * {@code stack balanced}: RSP ends where it began, or 8 above after a {@code ret} that popped
     * the entry frame (the caller's return address).
     */
    record StackBalanced(SpecDirective spec) implements Expectation {
        @Override
        public Mismatch check(Observation o) {
            long want = o.initialRsp() + (o.outcome().stop() == StopReason.RET ? 8 : 0);
            long rsp = o.cpu().reg(io.entrysim.cpu.Reg.RSP);
            if (rsp == want) {
                return null;
            }
            return new Mismatch(spec, "stack balanced: rsp " + hex(want), "rsp " + hex(rsp) + " ("
                    + (rsp < want ? (want - rsp) + " bytes left pushed" : (rsp - want) + " bytes popped too many") + ")",
                    o.where());
        }
    }

    /**
     * What a run with no expectation of its own must do, as {@code entrysim run} would exit 0:
     * stop normally (hlt, ret, end, return-to-user) with no fault and no violation.
     */
    record RunsClean(SpecDirective spec) implements Expectation {
        @Override
        public Mismatch check(Observation o) {
            var out = o.outcome();
            boolean stopOk = out.stop().finishedNormally() || out.stop() == StopReason.RETURN_TO_USER;
            if (stopOk && out.fault() == null && out.violations().isEmpty() && out.flagViolations().isEmpty()) {
                return null;
            }
            String actual = "stop: " + out.stop().label()
                    + (out.fault() != null ? ", fault " + out.fault().summary() : "")
                    + (out.violations().isEmpty() ? "" : ", " + out.violations().get(0).kind() + ": "
                            + out.violations().get(0).message())
                    + (out.flagViolations().isEmpty() ? "" : ", " + out.flagViolations().get(0).message());
            Insn at = !out.violations().isEmpty() && out.violations().get(0).at() != null ? out.violations().get(0).at() : o.where();
            return new Mismatch(spec, "a clean run (no ENTRYSIM-EXPECT given): hlt, ret, end or return-to-user, "
                    + "no fault, no violation", actual, at);
        }
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
