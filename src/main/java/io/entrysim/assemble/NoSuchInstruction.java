package io.entrysim.assemble;

import io.entrysim.diag.AsmError;
import io.entrysim.diag.Origin;
import io.entrysim.isa.X86Mnemonics;
import java.util.Locale;

/**
 * gas's "no such instruction": a statement whose first word is neither a directive, a macro nor
 * an x86 instruction (a misspelt or undefined macro, say). An x86 instruction entrysim does not
 * assemble is a different error ({@link #forMnemonic}).
 */
public final class NoSuchInstruction extends AsmError {
    private final String mnemonic;

    private NoSuchInstruction(Origin origin, String message, String mnemonic) {
        super(origin, message);
        this.mnemonic = mnemonic;
    }

    /**
     * The error for a statement whose mnemonic entrysim does not assemble: gas's {@code no such
     * instruction: `STATEMENT'} when gas does not know it either, else {@code entrysim does not
     * model `MNEMONIC'}.
     */
    public static AsmError forMnemonic(Origin origin, String statement, String mnemonic) {
        String base = Mnemonics.baseOfWronglySuffixed(mnemonic.toLowerCase(Locale.ROOT));
        if (base != null) {
            return new AsmError(origin, "invalid instruction suffix for `" + base + "'");
        }
        if (X86Mnemonics.isInstruction(mnemonic)) {
            return new AsmError(origin, "entrysim does not model `" + mnemonic.toLowerCase(Locale.ROOT) + "'");
        }
        return new NoSuchInstruction(origin, "no such instruction: `" + statement + "'", mnemonic);
    }

    /** The word that is no instruction. */
    public String mnemonic() {
        return mnemonic;
    }

    /** This error with {@code note} (why the word is no macro either) appended; itself when null. */
    public AsmError withNote(String note) {
        return note == null ? this : new AsmError(origin(), getMessage() + " (" + note + ")");
    }
}
