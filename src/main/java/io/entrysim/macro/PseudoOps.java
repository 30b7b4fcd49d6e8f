package io.entrysim.macro;

import java.util.Set;

/**
 * Names of gas pseudo-ops (without the dot) that a {@code .macro .NAME} may not shadow; gas
 * warns and ignores such a definition. Covers the generic, ELF and x86 tables' common entries.
 */
final class PseudoOps {
    private PseudoOps() {}

    private static final Set<String> NAMES = Set.of(
            "abort", "align", "altmacro", "ascii", "asciz", "attach_to_group", "balign", "balignl", "balignw",
            "base64", "bss", "bundle_align_mode", "byte", "code16", "code16gcc", "code32", "code64", "comm",
            "common", "data", "dc", "dcb", "debug_sfence", "def", "desc", "dim", "double", "ds", "eject", "else",
            "elsec", "elseif", "end", "endc", "endef", "endfunc", "endif", "endm", "endr", "equ", "equiv", "eqv",
            "err", "error", "exitm", "extern", "fail", "file", "fill", "float", "format", "func", "global",
            "globl", "gnu_attribute", "hidden", "hword", "ident", "if", "ifb", "ifc", "ifdef", "ifeq", "ifeqs",
            "ifge", "ifgt", "ifle", "iflt", "ifnb", "ifnc", "ifndef", "ifne", "ifnes", "ifnotdef", "incbin",
            "include", "int", "intel_mnemonic", "intel_syntax", "internal", "irep", "irepc", "irp", "irpc",
            "lcomm", "lflags", "line", "linefile", "linkonce", "list", "ln", "loc", "loc_mark_labels", "local",
            "long", "lsym", "macro", "mri", "noaltmacro", "noformat", "nolist", "nop", "nops", "octa", "offset",
            "org", "p2align", "p2alignl", "p2alignw", "popsection", "previous", "print", "protected", "psize",
            "purgem", "pushsection", "quad", "reloc", "rep", "rept", "rva", "sbttl", "section", "set", "short",
            "single", "size", "skip", "sleb128", "slong", "space", "stabd", "stabn", "stabs", "string",
            "string16", "string32", "string64", "string8", "struct", "subsection", "symver", "tag", "text",
            "tfloat", "title", "type", "uleb128", "val", "value", "version", "vtable_entry", "vtable_inherit",
            "warning", "weak", "weakref", "word", "zero", "att_syntax", "att_mnemonic", "arch", "cfi_startproc",
            "cfi_endproc", "cfi_def_cfa", "cfi_def_cfa_offset", "cfi_def_cfa_register", "cfi_offset",
            "cfi_rel_offset", "cfi_restore", "cfi_remember_state", "cfi_restore_state", "cfi_adjust_cfa_offset",
            "cfi_undefined", "cfi_same_value", "cfi_register", "cfi_escape", "cfi_signal_frame", "cfi_sections");

    static boolean isPseudoOp(String name) {
        return NAMES.contains(name);
    }
}
