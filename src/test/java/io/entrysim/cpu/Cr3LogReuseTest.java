package io.entrysim.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A CR3 write repeated from the same restored state reuses the log entry made the first time (a
 * sweep allocates nothing for it); any difference in what was written makes a new one.
 */
class Cr3LogReuseTest {
    @Test
    void theSameWriteFromTheSameStateReusesItsLogEntry() {
        Cpu cpu = new Cpu();
        cpu.setCr4(Cpu.DEFAULT_CR4 | Cpu.CR4_PCIDE);
        CpuSnapshot start = cpu.snapshot();
        cpu.writeCr3(0x5000 | 3);
        PersistentLog<Cr3Write> first = cpu.cr3Log();
        cpu.restore(start);
        cpu.writeCr3(0x5000 | 3);
        assertSame(first, cpu.cr3Log());

        cpu.restore(start);
        cpu.writeCr3(0x5000 | 4);
        assertNotSame(first, cpu.cr3Log());
        assertEquals(List.of(new Cr3Write(0x5004, false, 0x5004)), cpu.cr3Writes());

        cpu.restore(start);
        cpu.writeCr3(Cpu.CR3_NOFLUSH | 0x5003);
        assertEquals(List.of(new Cr3Write(Cpu.CR3_NOFLUSH | 0x5003, true, 0x5003)), cpu.cr3Writes());
        cpu.writeCr3(0x5000 | 3);
        assertEquals(List.of(new Cr3Write(Cpu.CR3_NOFLUSH | 0x5003, true, 0x5003), new Cr3Write(0x5003, false, 0x5003)),
            cpu.cr3Writes(), "the same value after another write is a new entry after it");

    }

    @Test
    void theSameValueWithAnotherNoFlushMeaningIsANewEntry() {
        Cpu cpu = new Cpu(new Memory(), new CpuModel(false, 52)); // bit 63 without PCIDE: ignored
        cpu.setCr4(Cpu.DEFAULT_CR4 | Cpu.CR4_PCIDE);
        CpuSnapshot start = cpu.snapshot();
        cpu.writeCr3(Cpu.CR3_NOFLUSH | 0x5000);
        assertEquals(List.of(new Cr3Write(Cpu.CR3_NOFLUSH | 0x5000, true, 0x5000)), cpu.cr3Writes());
        cpu.restore(start);
        cpu.setCr4(Cpu.DEFAULT_CR4);
        cpu.writeCr3(Cpu.CR3_NOFLUSH | 0x5000);
        assertEquals(List.of(new Cr3Write(Cpu.CR3_NOFLUSH | 0x5000, false, 0x5000)), cpu.cr3Writes());
    }
}
