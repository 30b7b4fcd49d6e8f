package io.entrysim.assemble;

/**
 * What {@link MachineCodeDecoder} found at an address: an {@link Instruction} entrysim executes,
 * or {@link Invalid} bytes, with why. The decoder never throws for bad bytes; only the byte source
 * may throw (a fetch fault), and that exception propagates unchanged.
 */
public sealed interface Decoded permits Decoded.Instruction, Decoded.Invalid {

    /** Address of the first byte. */
    long address();

    /** The bytes read: the whole instruction, or for {@link Invalid} those read up to the problem. */
    byte[] bytes();

    /** A decoded instruction: {@code insn} (origin null; the caller attaches provenance) and its encoding. */
    record Instruction(Insn insn, byte[] bytes) implements Decoded {
        @Override
        public long address() {
            return insn.address;
        }

        /** Length of the encoding; {@code insn.nextAddress - insn.address}. */
        public int length() {
            return bytes.length;
        }

        @Override
        public String toString() {
            return String.format("0x%x: %s  %s", insn.address, hex(bytes), insn.text);
        }
    }

    /** Why bytes do not decode to an instruction entrysim executes. */
    enum Problem {
        /** Not a valid x86-64 instruction (a CPU raises #UD): an undefined opcode, {@code lock} on a non-lockable instruction, {@code lea} of a register, ... */
        UNDEFINED,
        /** A valid x86-64 instruction (or prefix use) that entrysim does not model: the executor raises #UD naming it. */
        NOT_MODELLED,
        /** More than 15 bytes (prefixes included) without ending an instruction: a CPU raises #GP(0). */
        TOO_LONG,
        /** The byte source ran out of bytes ({@link MachineCodeDecoder.NoByte}) inside the instruction. */
        TRUNCATED
    }

    /**
     * Bytes at {@code address} that entrysim cannot execute. {@code reason} says why in words
     * ("lock prefix on mov", "opcode 0f 31 (rdtsc) is not modelled"); {@link #message()} adds the
     * bytes and the address, for the executor's #UD.
     */
    record Invalid(long address, byte[] bytes, Problem problem, String reason) implements Decoded {
        /** {@code bytes f0 90 at 0xffffffff81000004: lock prefix on nop}. */
        public String message() {
            return "bytes " + hex(bytes) + String.format(" at 0x%x: ", address) + reason;
        }

        @Override
        public String toString() {
            return problem + ": " + message();
        }
    }

    /** Bytes as objdump prints them: {@code 48 89 c3}. */
    static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 3);
        for (byte b : bytes) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }
}
