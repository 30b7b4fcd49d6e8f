package io.entrysim.diag;

/**
 * One step of the chain that produced a line: the place a macro was invoked
 * (name = macro name) or a file was {@code #include}d (name = included path).
 */
public record Site(Kind kind, String name, SourcePos at) {
    public enum Kind { MACRO, INCLUDE }

    public static Site macro(String name, SourcePos at) {
        return new Site(Kind.MACRO, name, at);
    }

    public static Site include(String name, SourcePos at) {
        return new Site(Kind.INCLUDE, name, at);
    }
}
