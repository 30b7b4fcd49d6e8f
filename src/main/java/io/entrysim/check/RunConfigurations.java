package io.entrysim.check;

import io.entrysim.diag.AsmError;
import io.entrysim.diag.Origin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * A spec file's RUN lines turned into run configurations: words split as a shell splits them,
 * braces expanded, {@code +} read as {@code ,} in {@code --feature} values, relative {@code -I}
 * and {@code --machine FILE} paths taken from the spec file's directory (so a spec means the
 * same from any working directory), and the words parsed by picocli with {@code run}'s own
 * options. A mistake is an error at the RUN line.
 */
public final class RunConfigurations {
    private RunConfigurations() {}

    public static List<RunConfiguration> of(SpecFile spec) {
        List<RunConfiguration> out = new ArrayList<>();
        if (spec.runs().isEmpty()) {
            out.add(configuration(spec, null, List.of()));
        }
        for (SpecDirective line : spec.runs()) {
            for (List<String> row : BraceExpansion.expand(ShellWords.split(line.text(), line.origin()), line.origin())) {
                List<String> args = new ArrayList<>();
                for (String w : row) {
                    args.add(ShellWords.unquote(w));
                }
                out.add(configuration(spec, line, resolve(spec, featuresJoined(args))));
            }
        }
        return out;
    }

    static RunConfiguration configuration(SpecFile spec, SpecDirective line, List<String> args) {
        Origin where = line == null ? Origin.at(new io.entrysim.diag.SourcePos(spec.path().toString(), 1, 1)) : line.origin();
        RunLineOptions options = new RunLineOptions();
        try {
            new CommandLine(options).parseArgs(args.toArray(new String[0]));
        } catch (CommandLine.ParameterException e) {
            throw new AsmError(where, e.getMessage());
        }
        String skip = null;
        for (Path dir : options.machine.includeDirs()) {
            if (!Files.isDirectory(dir)) {
                skip = "-I " + dir + ": no such directory";
            }
        }
        try {
            return new RunConfiguration(spec, line, args, options.machine.buildOptions(), options.machine.runSpec(), skip);
        } catch (AsmError e) {
            throw e.origin() == null ? new AsmError(where, e.getMessage()) : e;
        }
    }

    /** {@code --feature PTI+PCID} is {@code --feature PTI,PCID}: inside braces, {@code ,} was taken. */
    static List<String> featuresJoined(List<String> args) {
        List<String> out = new ArrayList<>(args);
        for (int i = 0; i < out.size(); i++) {
            String a = out.get(i);
            if (i > 0 && out.get(i - 1).equals("--feature")) {
                out.set(i, a.replace('+', ','));
            } else if (a.startsWith("--feature=")) {
                out.set(i, a.replace('+', ','));
            }
        }
        return out;
    }

    /** Relative {@code -I DIR} and {@code --machine FILE} from the spec file's directory. */
    static List<String> resolve(SpecFile spec, List<String> args) {
        Path base = spec.path().getParent() == null ? Path.of("") : spec.path().getParent();
        List<String> out = new ArrayList<>(args);
        for (int i = 0; i < out.size(); i++) {
            String a = out.get(i);
            if ((a.equals("-I") || a.equals("--machine")) && i + 1 < out.size()) {
                String v = out.get(i + 1);
                if (!(a.equals("--machine") && (v.equals("flat") || v.equals("pti")))) {
                    out.set(i + 1, fromSpecDir(base, v));
                }
                i++;
            } else if (a.startsWith("-I") && a.length() > 2) {
                out.set(i, "-I" + fromSpecDir(base, a.substring(2)));
            } else if (a.startsWith("--machine=")) {
                String v = a.substring("--machine=".length());
                if (!v.equals("flat") && !v.equals("pti")) {
                    out.set(i, "--machine=" + fromSpecDir(base, v));
                }
            }
        }
        return out;
    }

    private static String fromSpecDir(Path base, String path) {
        Path p = Path.of(path);
        if (p.isAbsolute() || base == null) {
            return path;
        }
        return base.resolve(p).normalize().toString();
    }
}
