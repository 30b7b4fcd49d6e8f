package io.entrysim.assemble;

/**
 * New bytes for code after assembly, as a kernel rewrites itself at boot (alternatives, static
 * keys). The first {@code copiedLength} bytes were copied from {@code copiedFrom} (a replacement
 * elsewhere in the image): instructions decoded from them are attributed to the source lines that
 * emitted the copied bytes. The rest (NOP padding, a jump written in place) keep the site's own
 * source line.
 *
 * @param address      where the bytes go
 * @param bytes        the new bytes
 * @param copiedFrom   the address the first {@code copiedLength} bytes came from
 * @param copiedLength how many leading bytes were copied (0: none)
 */
public record CodePatch(long address, byte[] bytes, long copiedFrom, int copiedLength) {
    public CodePatch {
        bytes = bytes.clone();
        if (copiedLength < 0 || copiedLength > bytes.length) {
            throw new IllegalArgumentException("copied length " + copiedLength + " of " + bytes.length);
        }
    }

    /** Bytes written in place, not copied from anywhere (a jump or NOPs). */
    public static CodePatch inPlace(long address, byte[] bytes) {
        return new CodePatch(address, bytes, 0, 0);
    }

    public long end() {
        return address + bytes.length;
    }
}
