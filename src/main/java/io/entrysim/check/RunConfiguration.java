package io.entrysim.check;

import io.entrysim.session.BuildOptions;
import io.entrysim.session.RunSpec;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One run of a spec file: one row of a RUN line's brace matrix.
 *
 * @param file the spec file
 * @param line the RUN line it came from (null: the file has none and runs once as is)
 * @param args the run options after expansion, quotes removed, relative paths resolved against
 *     the spec file's directory: what {@code entrysim run FILE} takes to reproduce the run
 * @param build how to build the file (configurations with equal build options share one build)
 * @param run how to run it
 * @param skip why the run cannot be made here (an {@code -I} directory that is absent), or null
 */
public record RunConfiguration(SpecFile file, SpecDirective line, List<String> args, BuildOptions build, RunSpec run,
                               String skip) {
    public RunConfiguration {
        args = List.copyOf(args);
    }

    public String tag() {
        return line == null ? null : line.tag();
    }

    /** How KTAP and JUnit name it: {@code FILE[tag]: OPTIONS}. */
    public String name() {
        String options = args.isEmpty() ? "(no options)"
                : args.stream().map(ShellWords::quote).collect(Collectors.joining(" "));
        return file.path() + (tag() == null ? "" : "[" + tag() + "]") + ": " + options;
    }

    /** The {@code entrysim run} command line that makes this run, plus {@code extra} options. */
    public String reproduce(List<String> extra) {
        return "entrysim run " + ShellWords.quote(file.path().toString()) + " "
                + java.util.stream.Stream.concat(args.stream(), extra.stream()).map(ShellWords::quote)
                        .collect(Collectors.joining(" "));
    }
}
