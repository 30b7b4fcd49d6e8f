package io.entrysim.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.CpuFault;
import io.entrysim.cpu.Reg;
import io.entrysim.diag.Locations;
import io.entrysim.exec.Cr3WriteSite;
import io.entrysim.session.Build;
import io.entrysim.session.RunOutcome;
import java.util.List;
import java.util.Map;

/**
 * {@code run --json}: one object whose shape is a public interface (see README); new keys may
 * be added, existing ones never renamed or reshaped. Numbers are hex strings.
 */
public final class JsonReport {
    private JsonReport() {}

    public static String render(Build build, Cpu cpu, RunOutcome outcome, List<MemoryDump> dumps) {
        return toJson(object(build, cpu, outcome, dumps));
    }

    static String toJson(JsonObject o) {
        return new GsonBuilder().serializeNulls().disableHtmlEscaping().create().toJson(o);
    }

    /** The report as an object, for a front door to add to ({@code "scenario"}). */
    static JsonObject object(Build build, Cpu cpu, RunOutcome outcome, List<MemoryDump> dumps) {
        JsonObject o = new JsonObject();
        JsonObject regs = new JsonObject();
        for (int r = 0; r < Reg.COUNT; r++) {
            regs.addProperty(Reg.name64(r), hex(cpu.reg(r)));
        }
        regs.addProperty("rip", hex(cpu.rip()));
        o.add("regs", regs);
        o.addProperty("rflags", hex(cpu.rflags()));
        o.addProperty("cr3", hex(cpu.cr3()));
        o.addProperty("cr4", hex(cpu.cr4()));
        o.addProperty("gs_base", hex(cpu.gsBase()));
        o.addProperty("kernel_gs_base", hex(cpu.kernelGsBase()));
        JsonArray writes = new JsonArray();
        JsonArray writeDetails = new JsonArray();
        for (Cr3WriteSite w : outcome.cr3Writes()) {
            writes.add(hex(w.write().valueWritten()));
            JsonObject d = new JsonObject();
            d.addProperty("value", hex(w.write().valueWritten()));
            d.addProperty("flush", !w.write().noFlush());
            d.addProperty("stored", hex(w.write().stored()));
            d.addProperty("at", w.insn() == null ? null : w.insn().origin.pos().fileLine());
            writeDetails.add(d);
        }
        o.add("cr3_writes", writes);
        o.add("cr3_write_details", writeDetails);
        o.addProperty("steps", outcome.steps());
        o.addProperty("stop", outcome.stop().label());
        o.addProperty("stop_detail", outcome.detail());
        CpuFault f = outcome.fault();
        if (f == null) {
            o.add("fault", JsonNull.INSTANCE);
        } else {
            JsonObject fo = new JsonObject();
            fo.addProperty("vector", f.vector());
            fo.addProperty("error_code", f.hasErrorCode() ? hex(f.errorCode()) : null);
            fo.addProperty("address", f.address().isPresent() ? hex(f.address().getAsLong()) : null);
            fo.addProperty("cr3", hex(f.cr3().orElse(cpu.cr3())));
            fo.addProperty("message", f.detail());
            fo.addProperty("at", outcome.faultingInsn() == null ? null : outcome.faultingInsn().origin.pos().fileLine());
            JsonArray chain = new JsonArray();
            if (outcome.faultingInsn() != null) {
                Locations.macroChain(outcome.faultingInsn().origin).forEach(chain::add);
            }
            fo.add("macro_chain", chain);
            o.add("fault", fo);
        }
        JsonArray mem = new JsonArray();
        for (MemoryDump d : dumps) {
            JsonObject m = new JsonObject();
            m.addProperty("expr", d.expr());
            m.addProperty("addr", hex(d.address()));
            m.addProperty("hex", d.hex());
            mem.add(m);
        }
        o.add("memory", mem);
        JsonObject percpu = new JsonObject();
        for (Map.Entry<String, Long> e : build.autoPerCpu().entrySet()) {
            percpu.addProperty(e.getKey(), hex(e.getValue()));
        }
        o.add("percpu_allocated", percpu);
        JsonObject stubs = new JsonObject();
        for (Map.Entry<String, Long> e : build.externals().entrySet()) {
            stubs.addProperty(e.getKey(), hex(e.getValue()));
        }
        o.add("stubs", stubs);
        if (!build.bootPatches().isEmpty()) {
            // only builds from a tree's real alternative.h/jump_label.h have any (not shim builds)
            JsonArray patches = new JsonArray();
            build.bootPatches().forEach(patches::add);
            o.add("boot_patches", patches);
        }
        JsonArray violations = new JsonArray();
        for (var v : outcome.violations()) {
            JsonObject vo = new JsonObject();
            vo.addProperty("kind", v.kind());
            vo.addProperty("message", v.message());
            vo.addProperty("at", v.where());
            violations.add(vo);
        }
        for (var v : outcome.flagViolations()) {
            JsonObject vo = new JsonObject();
            vo.addProperty("kind", "undefined-flag-read");
            vo.addProperty("message", v.message());
            vo.addProperty("at", v.insn().origin.pos().fileLine());
            violations.add(vo);
        }
        o.add("violations", violations);
        return o;
    }

    /** {@code {"error":{"message":…,"at":"file:line:col"|null,"macro_chain":[…]}}} for bad input. */
    static String error(io.entrysim.diag.AsmError e) {
        JsonObject err = new JsonObject();
        err.addProperty("message", e.getMessage());
        err.addProperty("at", e.origin() == null ? null : e.origin().pos().toString());
        JsonArray chain = new JsonArray();
        if (e.origin() != null) {
            Locations.macroChain(e.origin()).forEach(chain::add);
        }
        err.add("macro_chain", chain);
        JsonObject o = new JsonObject();
        o.add("error", err);
        return new GsonBuilder().serializeNulls().disableHtmlEscaping().create().toJson(o);
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
