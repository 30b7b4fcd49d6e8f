package io.entrysim.kernel;

import io.entrysim.assemble.SectionExtent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.entrysim.cpu.Region;
import io.entrysim.diag.AsmError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The machine-description format (docs/machine-description.md). */
class MachineFileTest {
    static final String SMALL = """
        # a tiny machine
        machine tiny
        symbol base      0xffffc90000000000
        symbol top       base+16K       # 0x4000
        symbol low       top-0x10-0x10+1
        region stack     top-16K 16K kernel
        region text      0x400000 1M user x
        region ro_page   0xfffffe0000000000 4K both ro sv
        region lowpage   0x1000 0x1000 both sv
        section .entry.text both
        section .user.*     user us
        section *           kernel ro
        percpu-user flag
        percpu-user big 0x20
        """;

    @Test
    void parsesEveryStatement() {
        MachineLayout m = MachineLayout.parse("tiny.machine", SMALL);
        assertEquals("tiny", m.name());
        assertEquals(false, m.flatMemory());
        assertEquals(Map.of("base", 0xffffc90000000000L, "top", 0xffffc90000004000L, "low", 0xffffc90000003fe1L),
            m.symbols());
        assertEquals(List.of(
            new Region("stack", 0xffffc90000000000L, 0x4000, false, true, false, true, false),
            new Region("text", 0x400000, 0x100000, true, false, true, true, true),
            new Region("ro_page", 0xfffffe0000000000L, 0x1000, true, true, false, false, false),
            new Region("lowpage", 0x1000, 0x1000, true, true, false, true, false)), m.regions());
        assertEquals(List.of(
            new MachineLayout.SectionRule(".entry.text", true, true, true, null),
            new MachineLayout.SectionRule(".user.*", true, false, true, true),
            new MachineLayout.SectionRule("*", false, true, false, null)), m.sections());
        assertEquals(List.of(new MachineLayout.UserMappedVariable("flag", 8),
            new MachineLayout.UserMappedVariable("big", 0x20)), m.userMappedPerCpu());
    }

    @Test
    void resolvesSectionsAndPerCpuVariablesIntoRegions() {
        MachineLayout m = MachineLayout.parse("tiny.machine", SMALL);
        List<Region> regions = m.resolve(List.of(
                new SectionExtent(".text", 0xffffffff81000000L, 0x100000, true),
                new SectionExtent(".entry.text", 0xffffffff81100000L, 0x100000, true),
                new SectionExtent(".user.text", 0xffffffff81200000L, 0x100000, true),
                new SectionExtent(".data", 0xffffffff82000000L, 0x100000, false)),
            name -> name.equals("flag") ? 0x1108L : null);
        assertEquals(List.of(
            new Region(".text", 0xffffffff81000000L, 0x100000, false, true, true, false, false),
            new Region(".entry.text", 0xffffffff81100000L, 0x100000, true, true, true, true, false),
            new Region(".user.text", 0xffffffff81200000L, 0x100000, true, false, true, true, true),
            new Region(".data", 0xffffffff82000000L, 0x100000, false, true, false, false, false),
            new Region("percpu flag", MachineDefaults.PERCPU_BASE + 0x1108, 8, true, true, false, true, false)),
            regions.subList(4, regions.size()));
    }

    @Test
    void theSampleFileIsTheBuiltInPtiMachine() throws Exception {
        Path sample = Path.of("asm-samples/machines/pti.machine");
        MachineLayout fromFile = MachineLayout.load(sample);
        assertEquals(MachineLayout.pti(), fromFile);
        assertEquals(MachineLayout.pti(), MachineLayout.named("pti"));
        assertEquals(MachineLayout.flat(), MachineLayout.named("flat"));
        assertEquals(fromFile, MachineLayout.named(sample.toString()));
        Map<String, Long> s = fromFile.symbols();
        assertEquals(0xfffffe0000002200L, s.get("entry_stack_top"));
        assertEquals(0xfffffe0000009000L, s.get("ist_nmi_top"));
        assertEquals(0xfffffe000000c000L, s.get("ist_mce_top"));
        assertEquals(MachineDefaults.STACK_TOP, fromFile.kernelStackTop());
        assertEquals(MachineDefaults.PERCPU_BASE, fromFile.percpuBase());
        assertEquals(MachineDefaults.KERNEL_PGD, s.get("kernel_pgd"));
    }

    static String error(String text) {
        return assertThrows(AsmError.class, () -> MachineLayout.parse("m.machine", text)).format();
    }

    @Test
    void errorsPointAtTheWord() {
        assertEquals("m.machine:2:1: error: unknown statement `regoin' (expected machine, symbol, region, section, place, alias, tss, idt or percpu-user)",
            error("# x\nregoin a 0 1 both\n"));
        assertEquals("m.machine:1:20: error: expected user, kernel or both (the page tables that map it), not `all'",
            error("region a 0x1000 4K all"));
        assertEquals("m.machine:1:25: error: unknown flag `rw' (known: x, ro, us, sv)",
            error("region a 0x1000 4K both rw"));
        assertEquals("m.machine:1:16: error: `x' does not apply to a section: code sections are executable, others are not",
            error("section * both x"));
        assertEquals("m.machine:1:14: error: unknown name `cea' (define it with a symbol line before this one)",
            error("region a 0x1+cea 4K both"));
        assertEquals("m.machine:1:11: error: too few words; usage: region NAME START SIZE user|kernel|both [x] [ro] [us|sv]",
            error("region a 0"));
        assertEquals("m.machine:2:8: error: symbol a already defined at line 1",
            error("symbol a 1\nsymbol a 2"));
        assertEquals("m.machine:1:17: error: region size must be positive",
            error("region a 0x1000 0 both"));
        assertEquals("m.machine:1:10: error: region a starts at non-canonical address 0x800000000000",
            error("region a 0x800000000000 4K both"));
        assertEquals("m.machine:1:25: error: region a extends into the non-canonical hole (ends at 0x800000000fff)",
            error("region a 0x7ffffffff000 8K both"));
        assertEquals("m.machine:1:10: error: number `0x10000000000000000' does not fit in 64 bits",
            error("symbol a 0x10000000000000000"));
        assertEquals("m.machine:1:10: error: number `0xffffffffffffffffK' does not fit in 64 bits",
            error("symbol a 0xffffffffffffffffK"));
        assertEquals("m.machine:1:11: error: bad value `1+'",
            error("symbol a 1+"));
        assertEquals("m.machine:1:10: error: bad number or name `1z'",
            error("symbol a 1z"));
        assertEquals("m.machine:1:28: error: give one of us (user page) and sv (supervisor page)",
            error("region a 0x1000 4K both us sv"));
        assertEquals("m.machine:1:19: error: unexpected `extra'; usage: percpu-user SYMBOL [SIZE]",
            error("percpu-user v 8   extra"));
        assertEquals("m.machine:2:1: error: machine name given twice", error("machine a\nmachine b"));
    }

    @Test
    void aMissingFileIsAnError(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope.machine");
        assertEquals(missing + ": cannot read machine description: No such file or directory",
            assertThrows(AsmError.class, () -> MachineLayout.named(missing.toString())).getMessage());
        Path ok = dir.resolve("ok.machine");
        Files.writeString(ok, "region a 0x1000 4K both\n");
        assertEquals(ok.toString(), MachineLayout.load(ok).name()); // unnamed: the file name
    }
}
