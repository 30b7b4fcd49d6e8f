package io.entrysim.macro;

/** One formal parameter of a {@code .macro}: {@code name}, {@code name=default}, {@code name:req}, {@code name:vararg}. */
public record MacroParam(String name, String defaultValue, Kind kind) {
    public enum Kind { OPTIONAL, REQUIRED, VARARG }
}
