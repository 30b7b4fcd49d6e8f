package io.entrysim.assemble;

/**
 * Where sections go and what to do with symbols the program does not define.
 *
 * @param codeBase     address of the first code section; further ones follow at {@code stride}
 * @param dataBase     address of the first data section
 * @param stride       distance between section bases (so sections never overlap)
 * @param undefined    supplies values for symbols the program leaves undefined (per-CPU variables
 *                     of the kernel environment); null = every undefined symbol is an error
 * @param sectionBases sections placed at a fixed address instead of the next free slot (e.g. code
 *                     that runs at an alias address, as v4.15's .entry_trampoline does)
 * @param externBase   where symbols the program never defines get stubs (C functions, tables);
 *                     0 = an undefined symbol is an error
 */
public record AssemblerConfig(long codeBase, long dataBase, long stride, UndefinedSymbols undefined,
                              java.util.Map<String, Long> sectionBases, long externBase) {

    /** Decides the value of a symbol the program references but never defines. */
    public interface UndefinedSymbols {
        /**
         * @param perCpu true when the reference is inside a {@code %gs:} operand
         * @return the value, or null to report the symbol as undefined
         */
        Long resolve(String name, boolean perCpu);
    }

    public static final String PERCPU_SECTION_PREFIX = ".data..percpu";

    public static AssemblerConfig defaults(UndefinedSymbols undefined) {
        return new AssemblerConfig(0xffffffff81000000L, 0xffffffff82000000L, 0x100000L, undefined, java.util.Map.of(), 0);
    }

    public AssemblerConfig withExternBase(long base) {
        return new AssemblerConfig(codeBase, dataBase, stride, undefined, sectionBases, base);
    }

    public AssemblerConfig withSectionBases(java.util.Map<String, Long> bases) {
        return new AssemblerConfig(codeBase, dataBase, stride, undefined, bases, externBase);
    }
}
