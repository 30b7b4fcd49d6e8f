package io.entrysim.kernel;

import io.entrysim.assemble.SectionExtent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Reading a kernel table whose entry layout changed across eras: the entries under the first
 * layout whose entry size divides the table and under which every entry is plausible. A
 * misread layout puts addresses outside any code, so the right one is the one that fits.
 */
final class TableLayouts {
    /** One era's layout of an entry: its size, and how to read one (null when an offset reaches no code). */
    interface Layout<E> {
        int size();

        E read(ImageBytes image, byte[] table, int at, long address);
    }

    private TableLayouts() {}

    /** The entries under the first layout that fits, or null when none does. */
    static <E> List<E> read(ImageBytes image, SectionExtent table, Layout<E>[] layouts, Predicate<E> plausible) {
        byte[] bytes = image.bytes(table);
        for (Layout<E> layout : layouts) {
            if (bytes.length % layout.size() != 0) {
                continue;
            }
            List<E> entries = new ArrayList<>();
            boolean fits = true;
            for (int at = 0; at < bytes.length && fits; at += layout.size()) {
                E e = layout.read(image, bytes, at, table.base());
                fits = e != null && plausible.test(e);
                entries.add(e);
            }
            if (fits) {
                return entries;
            }
        }
        return null;
    }
}
