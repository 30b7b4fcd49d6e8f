package io.entrysim.kernel;

/** Where entrysim's own kernel shim headers live and how diagnostics name them. */
public final class Shims {
    private Shims() {}

    public static final String RESOURCE_ROOT = "/io/entrysim/kernel/shim";
    public static final String DISPLAY_ROOT = "<entrysim-shim>";
}
