package io.entrysim.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.entrysim.scenario.EntryScenario;
import io.entrysim.scenario.ScenarioCheck;
import java.io.PrintWriter;
import java.util.List;

/** A scenario's checks: a block after the text report, {@code "scenario":{…}} in the JSON one. */
final class ScenarioReport {
    private ScenarioReport() {}

    /** {@code {"name":…,"kernel":"6.6.87","checks":[{"name":…,"ok":true|false,"detail":…}]}}. */
    static JsonObject json(EntryScenario scene, List<ScenarioCheck> checks) {
        JsonObject o = new JsonObject();
        o.addProperty("name", scene.name());
        o.addProperty("kernel", scene.kernel());
        JsonArray list = new JsonArray();
        for (ScenarioCheck c : checks) {
            JsonObject co = new JsonObject();
            co.addProperty("name", c.name());
            co.addProperty("ok", c.ok());
            co.addProperty("detail", c.detail());
            list.add(co);
        }
        o.add("checks", list);
        return o;
    }

    static void text(PrintWriter out, EntryScenario scene, List<ScenarioCheck> checks) {
        long failed = checks.stream().filter(c -> !c.ok()).count();
        out.printf("scenario %s (Linux %s, %s): %s%n", scene.name(), scene.kernel(), scene.configuration(),
                failed == 0 ? "every check holds" : failed + " of " + checks.size() + " checks fail");
        for (ScenarioCheck c : checks) {
            out.printf("  %-4s %-24s %s%n", c.ok() ? "ok" : "FAIL", c.name(), c.detail());
        }
    }
}
