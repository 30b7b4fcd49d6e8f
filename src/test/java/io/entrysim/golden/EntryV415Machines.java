package io.entrysim.golden;

import io.entrysim.session.Machine;

/** v4.15's user-mode machines ({@link EntryV415#userMachine}) for tests outside this package; skips when the corpus is absent. */
public final class EntryV415Machines {
    private EntryV415Machines() {}

    /** A task in user mode about to run {@code entry} (e.g. {@code user_syscall}) on a build with these features. */
    public static Machine user(String entry, String... features) {
        return EntryV415.userMachine(EntryV415.build(features), entry, cpu -> { });
    }
}
