package io.entrysim.kernel;

import io.entrysim.assemble.CodePatch;
import io.entrysim.assemble.SectionExtent;
import java.util.List;

/**
 * The kernel's {@code __jump_table}, applied as {@code jump_label_init()} and
 * {@code static_key_enable/disable()} leave it: each entry's site becomes a {@code jmp} to its
 * target or a NOP of the same size, by the key's state XOR the entry's branch bit (set for
 * {@code STATIC_JUMP_IF_FALSE} / likely branches). A key the user did not set keeps the
 * assembled code, which is the key's initial state ({@code def=} of the macro).
 */
final class JumpLabels {
    static final String SECTION = "__jump_table";

    /** One {@code struct jump_entry}: the site, where its jump goes, the key's address and the branch bit. */
    record Entry(long tableAddress, long code, long target, long key, boolean branch) {}

    /** The layouts of {@code struct jump_entry}. */
    enum Layout implements TableLayouts.Layout<Entry> {
        /** 4.x: {@code u64 code, target, key} (absolute addresses; key bit 0 = branch). */
        ABSOLUTE(24),
        /** 5.x on: {@code s32 code, s32 target, long key}, each relative to its own field (key bit 0 = branch, bit 1 = init). */
        RELATIVE(16);

        final int size;

        Layout(int size) {
            this.size = size;
        }

        @Override
        public int size() {
            return size;
        }

        /** The entry at {@code table[at]}; null when a relative offset reaches no code. */
        @Override
        public Entry read(ImageBytes image, byte[] table, int at, long address) {
            long field = address + at;
            long code;
            long target;
            long key;
            if (this == ABSOLUTE) {
                code = ImageBytes.s64(table, at);
                target = ImageBytes.s64(table, at + 8);
                key = ImageBytes.s64(table, at + 16);
            } else {
                Long c = image.relativeCodeAddress(field, ImageBytes.s32(table, at));
                Long t = image.relativeCodeAddress(field + 4, ImageBytes.s32(table, at + 4));
                if (c == null || t == null) {
                    return null;
                }
                code = c;
                target = t;
                key = field + 8 + ImageBytes.s64(table, at + 8);
            }
            return new Entry(field, code, target, key & ~3L, (key & 1) != 0);
        }
    }

    private JumpLabels() {}

    /** The entries, with the first layout under which every one is plausible; null when none fits. */
    static List<Entry> read(ImageBytes image, SectionExtent table) {
        return TableLayouts.read(image, table, Layout.values(),
                e -> image.inCode(e.code(), 2) && image.inCode(e.target(), 1) && e.key() != 0);
    }

    /**
     * The size of the site's instruction (5, or 2 for a short jmp / 2-byte NOP, which 6.x
     * kernels allow); 0 when the site holds neither a jump nor a NOP, which the kernel refuses
     * to patch too.
     */
    static int siteSize(ImageBytes image, Entry e) {
        byte[] b = image.bytes(e.code(), 5);
        int op = b[0] & 0xff;
        if (op == 0xe9 || KernelNops.isNop(b, 0, 5)) {
            return 5;
        }
        if (op == 0xeb || KernelNops.isNop(b, 0, 2)) {
            return 2;
        }
        return 0;
    }

    /** The site rewritten: {@code jmp target} when {@code jump}, else a NOP; null when it cannot be. */
    static CodePatch patch(Entry e, int size, boolean jump) {
        byte[] site = new byte[size];
        if (!jump) {
            KernelNops.fill(site, 0, size);
            return CodePatch.inPlace(e.code(), site);
        }
        long displacement = e.target() - (e.code() + size);
        if (size == 5 && displacement == (int) displacement) {
            site[0] = (byte) 0xe9;
            for (int k = 0; k < 4; k++) {
                site[1 + k] = (byte) (displacement >> (8 * k));
            }
        } else if (size == 2 && displacement == (byte) displacement) {
            site[0] = (byte) 0xeb;
            site[1] = (byte) displacement;
        } else {
            return null;
        }
        return CodePatch.inPlace(e.code(), site);
    }
}
