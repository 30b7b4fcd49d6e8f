package io.entrysim.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Vectors (SDM Tables 6-1, 6-4, 6-5), the IDT, the TSS layout, Linux's GDT, canonical addresses. */
class InterruptTablesTest {
    @Test
    void doubleFaultTable() {
        assertTrue(Vectors.makesDoubleFault(Vectors.GP, Vectors.GP));
        assertTrue(Vectors.makesDoubleFault(Vectors.DE, Vectors.SS));
        assertTrue(Vectors.makesDoubleFault(Vectors.PF, Vectors.PF));
        assertTrue(Vectors.makesDoubleFault(Vectors.PF, Vectors.GP));
        assertFalse(Vectors.makesDoubleFault(Vectors.GP, Vectors.PF), "contributory then #PF: serial");
        assertFalse(Vectors.makesDoubleFault(Vectors.NMI, Vectors.PF), "benign first: serial");
        assertFalse(Vectors.makesDoubleFault(Vectors.UD, Vectors.GP));
        assertFalse(Vectors.makesDoubleFault(0x20, Vectors.GP));
    }

    @Test
    void errorCodesAndNames() {
        for (int v : new int[] {8, 10, 11, 12, 13, 14, 17, 21}) {
            assertTrue(Vectors.hasErrorCode(v), "vector " + v);
        }
        for (int v : new int[] {0, 1, 2, 3, 6, 7, 16, 18, 19, 0x20}) {
            assertFalse(Vectors.hasErrorCode(v), "vector " + v);
        }
        assertEquals("NMI", Vectors.name(2));
        assertEquals("#DF", Vectors.name(8));
        assertEquals("vector 0xec", Vectors.name(0xec));
    }

    @Test
    void idtIsImmutable() {
        Gate g = Gate.interrupt(0xffff_ffff_8160_1000L).withIst(2);
        Idt a = Idt.EMPTY.with(2, g);
        assertNull(Idt.EMPTY.gate(2));
        assertSame(g, a.gate(2));
        assertEquals(1, a.size());
        assertNull(a.without(2).gate(2));
        assertSame(g, a.gate(2));
        assertEquals(Cpu.KERNEL_CS, g.selector());
        assertEquals(Gate.Type.INTERRUPT, g.type());
        assertThrows(IllegalArgumentException.class, () -> g.withIst(8));
        assertThrows(IllegalArgumentException.class, () -> Idt.EMPTY.with(256, g));
    }

    @Test
    void tssLayoutIsTheHardwareOne() {
        Memory m = new Memory();
        Tss t = Tss.EMPTY.withRsp0(0x1111).withIst(1, 0x2222).withIst(7, 0x7777);
        t.store(m, 0x1000);
        assertEquals(0x1111, m.peek(0x1004, 8), "TSS_sp0 = 4");
        assertEquals(0x2222, m.peek(0x1024, 8), "IST1 at 36");
        assertEquals(0x7777, m.peek(0x1054, 8), "IST7 at 84");
        assertEquals(t, Tss.read(m, 0x1000));
        Cpu c = new Cpu();
        t.install(c, 0x1000);
        assertEquals(0x1000, c.trBase());
    }

    @Test
    void linuxGdt() {
        assertEquals(Segments.Kind.CODE64, Segments.kind(Cpu.KERNEL_CS));
        assertEquals(Segments.Kind.CODE64, Segments.kind(Cpu.USER_CS));
        assertEquals(Segments.Kind.CODE32, Segments.kind(0x23));
        assertEquals(Segments.Kind.DATA, Segments.kind(Cpu.USER_SS));
        assertEquals(3, Segments.dpl(Cpu.USER_SS));
        assertEquals(0, Segments.dpl(Cpu.KERNEL_SS));
        assertEquals(Segments.Kind.NONE, Segments.kind(0x37), "LDT selector");
        assertTrue(Segments.isNull(3));
    }

    @Test
    void canonicalFollowsLa57() {
        Cpu c = new Cpu();
        assertTrue(c.isCanonical(0x0000_7fff_ffff_ffffL));
        assertTrue(c.isCanonical(0xffff_8000_0000_0000L));
        assertFalse(c.isCanonical(0x0000_8000_0000_0000L));
        c.setCr4(c.cr4() | Cpu.CR4_LA57);
        assertTrue(c.isCanonical(0x0000_8000_0000_0000L));
        assertFalse(c.isCanonical(0x0100_0000_0000_0000L));
    }

    @Test
    void hostMsrAccessRejectsUnmodeledIndices() {
        Cpu c = new Cpu();
        assertThrows(IllegalArgumentException.class, () -> c.msr(0x1234));
        c.setMsr(Msr.GS_BASE, 0x42);
        assertEquals(0x42, c.gsBase());
        assertEquals("SYSCALL_MASK", Msr.name(Msr.FMASK));
    }
}
