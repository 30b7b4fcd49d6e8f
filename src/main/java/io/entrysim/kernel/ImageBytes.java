package io.entrysim.kernel;

import io.entrysim.assemble.DataBlock;
import io.entrysim.assemble.Program;
import io.entrysim.assemble.SectionExtent;
import java.util.List;

/**
 * The assembled image as the kernel sees it at boot: bytes by address, and the tables it patches
 * from ({@code .altinstructions}, {@code __jump_table}) by section name. Unwritten bytes read as 0.
 */
final class ImageBytes {
    private final Program program;
    private final List<DataBlock> blocks;

    ImageBytes(Program program) {
        this.program = program;
        this.blocks = program.data();
    }

    /** The section named {@code name}, or null when the program has none (or it is empty). */
    SectionExtent section(String name) {
        for (SectionExtent s : program.sections()) {
            if (s.name().equals(name) && s.size() > 0) {
                return s;
            }
        }
        return null;
    }

    /** The section's bytes, {@code section.size()} of them. */
    byte[] bytes(SectionExtent section) {
        return bytes(section.base(), (int) section.size());
    }

    byte[] bytes(long address, int length) {
        byte[] out = new byte[length];
        for (DataBlock b : blocks) {
            for (int k = 0; k < length; k++) {
                long offset = address + k - b.address();
                if (Long.compareUnsigned(offset, b.bytes().length) < 0) {
                    out[k] = b.bytes()[(int) offset];
                }
            }
        }
        return out;
    }

    /** True when {@code [address, address+length)} lies in one code section. */
    boolean inCode(long address, long length) {
        SectionExtent s = program.sectionAt(address);
        return s != null && s.code() && Long.compareUnsigned(address + length - s.base(), s.size()) <= 0;
    }

    /**
     * The code address a 32-bit self-relative field at {@code field} holding {@code offset}
     * points at. A linker resolves such fields against link addresses, all within 2 GiB of each
     * other; a machine may run code elsewhere (the {@code pti} machine places the entry
     * trampoline at its cpu_entry_area address, where the kernel links it in its text and maps
     * it there), so the field holds the distance truncated to 32 bits, and the address meant is
     * the code address congruent to it modulo 2^32. Null when there is none, or more than one.
     */
    Long relativeCodeAddress(long field, long offset) {
        long direct = field + offset;
        Long found = null;
        for (SectionExtent s : program.sections()) {
            // up to and including the end: an empty replacement sits at its section's end
            if (s.code() && Long.compareUnsigned(direct - s.base(), s.size()) <= 0) {
                return direct;
            }
            long delta = (direct - s.base()) & 0xffffffffL;
            if (s.code() && delta <= s.size()) {
                if (found != null) {
                    return null;
                }
                found = s.base() + delta;
            }
        }
        return found;
    }

    static long s32(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (long) b[at + 3] << 24;
    }

    static long u16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    static long u32(byte[] b, int at) {
        return s32(b, at) & 0xffffffffL;
    }

    static long s64(byte[] b, int at) {
        return u32(b, at) | u32(b, at + 4) << 32;
    }
}
