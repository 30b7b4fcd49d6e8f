"""The Unicorn side of bin/bench --compare: the comparison workloads on Unicorn (QEMU's TCG).

The machine mirrors entrysim's where Unicorn can: the same virtual addresses for code, stacks
and the per-CPU area (GS.base), the same starting registers, CR3 and CR4. What Unicorn does
not do, and what therefore costs it nothing:
  * page tables: Unicorn 2.0 maps every address flat (identity, its own memory map; guest page
    tables are ignored, unicorn-engine/unicorn#1953; setting CR0.PG makes the snippets fault), so
    a CR3 write only stores the register: no walk, no PCID, no TLB model;
  * CR3 bit 63 (NOFLUSH): Unicorn keeps it in CR3 and a later MOV from CR3 reads it back, where
    the CPU never stores it (SDM 4.10.4.1). The sweep's exit path therefore writes CR3 with
    NOFLUSH even when a flush was pending (the very lost flush entrysim checks for), and its last
    `or` sets SF; UnicornDifferentialTest expects exactly that divergence and no other;
  * entrysim's checks: PTI mappings (user/kernel halves), canonical addresses, the CR3-write
    log with its attribution, the lost-flush and other invariants, undefined-flag tracking.
Unicorn's context_restore covers registers only; each state also rewrites the 256-byte per-CPU
block the snippet writes (entrysim restores a whole-machine snapshot instead).

Used in-process by compare.py, and as a command by the cold one-shot pipeline and the JUnit
differential test (UnicornDifferentialTest):
  ucmachine.py oneshot FILE.o SECTION        run the section on the sample's machine, print registers
  ucmachine.py final WORKLOAD ARG...         assemble a workload, run it with each ARG, print the final states (JSON)
"""
import json
import os
import struct
import subprocess
import sys
import tempfile

from unicorn import Uc, UC_ARCH_X86, UC_MODE_64
from unicorn import x86_const as X

HERE = os.path.dirname(os.path.abspath(__file__))

# entrysim's addresses (kernel/machines/pti.machine and the flat machine's defaults)
ENTRY_TEXT = 0xFFFFFFFF81100000      # .entry.text
TEXT = 0xFFFFFFFF81000000            # .text
PERCPU = 0xFFFF88807FC00000          # GS.base, 64 KiB
KERNEL_STACK_TOP = 0xFFFFC90000004000
ENTRY_STACK_TOP = 0xFFFFFE0000002200  # cpu_entry_area's entry stack (the sweep starts on it)
USER_CR3 = 0x1C0B801                 # user PGD | user PCID 0x801 (kernel PCID 1)
KERNEL_CR3 = 0x1C0A001                # with PCID (the sample and the sweep run with PTI,PCID)
NO_PCID_CR3 = 0x1C0A000               # the loops run without features
CR0 = 0x80050033
CR4 = 0x3606F0

# The sweep's per-CPU variables, one contiguous 256-byte block (as --defsym gives them to as).
PERCPU_BLOCK = 0x8000
SWEEP_SYMBOLS = {"bench_entries": 0x8000, "bench_ring": 0x8040, "bench_flushes": 0x8080, "cpu_tlbstate": 0x80C0}
FLUSH_MASK = SWEEP_SYMBOLS["cpu_tlbstate"] + 22

# Flags every workload defines (CF PF ZF SF OF); AF is undefined after the logic instructions.
DEFINED_FLAGS = 0x8C5
LOOP_RDX = 0x5A5A

REGS = {"rax": X.UC_X86_REG_RAX, "rcx": X.UC_X86_REG_RCX, "rdx": X.UC_X86_REG_RDX, "rbx": X.UC_X86_REG_RBX,
        "rsp": X.UC_X86_REG_RSP, "rbp": X.UC_X86_REG_RBP, "rsi": X.UC_X86_REG_RSI, "rdi": X.UC_X86_REG_RDI,
        "rip": X.UC_X86_REG_RIP, "rflags": X.UC_X86_REG_RFLAGS, "cr3": X.UC_X86_REG_CR3}


def assemble(source, obj, defsyms=None):
    """GNU as, 64-bit, with absolute symbols (the per-CPU offsets) so that the code needs no relocation."""
    cmd = ["as", "--64", "-o", obj, source]
    for name, value in (defsyms or {}).items():
        cmd += ["--defsym", "%s=%#x" % (name, value)]
    subprocess.run(cmd, check=True)


def section_bytes(obj, name):
    """The contents of section `name` of an ELF64 relocatable object; refuses one with relocations."""
    with open(obj, "rb") as f:
        elf = f.read()
    shoff, = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", elf, 0x3A)
    headers = [struct.unpack_from("<IIQQQQIIQQ", elf, shoff + i * shentsize) for i in range(shnum)]
    strtab = headers[shstrndx]

    def name_of(h):
        start = strtab[4] + h[0]
        return elf[start:elf.index(b"\0", start)].decode()

    names = [name_of(h) for h in headers]
    if ".rela" + name in names:
        raise SystemExit("%s: %s has relocations; give its symbols with --defsym" % (obj, name))
    for h, n in zip(headers, names):
        if n == name:
            return elf[h[4]:h[4] + h[5]]
    raise SystemExit("%s: no section %s" % (obj, name))


def new_machine(code, base, rsp, cr3):
    """A Unicorn x86-64 CPU at CPL 0 with entrysim's memory layout and `code` at `base`."""
    uc = Uc(UC_ARCH_X86, UC_MODE_64)
    uc.mem_map(base, max(0x1000, (len(code) + 0xFFF) & ~0xFFF))
    uc.mem_write(base, code)
    uc.mem_map(KERNEL_STACK_TOP - 0x4000, 0x4000)
    uc.mem_map(ENTRY_STACK_TOP & ~0xFFF, 0x1000)
    uc.mem_map(PERCPU, 0x10000)
    uc.reg_write(X.UC_X86_REG_GS_BASE, PERCPU)
    uc.reg_write(X.UC_X86_REG_RSP, rsp)
    uc.reg_write(X.UC_X86_REG_CR3, cr3)
    # Unicorn runs long mode without paging (CR0 0x11); with PG set it would not walk the tables.
    return uc


def run(uc, base, code):
    """Runs from `base` to the hlt that ends the code (Unicorn stops there; hlt is not executed)."""
    uc.emu_start(base, base + len(code) - 1)


def state(uc, base):
    out = {r: uc.reg_read(i) for r, i in REGS.items()}
    out["rip"] -= base
    out["rflags"] &= DEFINED_FLAGS
    return out


# ---- the workloads

class Sweep:
    """cr3-sweep.S: state k sets the flush mask to mask(k); restore, run to hlt."""

    def __init__(self, obj):
        self.code = section_bytes(obj, ".entry.text")
        self.uc = new_machine(self.code, ENTRY_TEXT, ENTRY_STACK_TOP, USER_CR3)
        self.start = self.uc.context_save()
        self.block = bytearray(256)

    @staticmethod
    def mask(k):
        return (k * 0x9E37) & 0xFFFF

    def run_state(self, k):
        uc = self.uc
        uc.context_restore(self.start)
        struct.pack_into("<H", self.block, FLUSH_MASK - PERCPU_BLOCK, self.mask(k))
        uc.mem_write(PERCPU + PERCPU_BLOCK, bytes(self.block))
        uc.emu_start(ENTRY_TEXT, ENTRY_TEXT + len(self.code) - 1)

    def final(self, k):
        self.run_state(k)
        out = state(self.uc, ENTRY_TEXT)
        read = lambda off, n: int.from_bytes(self.uc.mem_read(PERCPU + off, n), "little")
        out["flush_mask"] = read(FLUSH_MASK, 2)
        out["entries"] = read(SWEEP_SYMBOLS["bench_entries"], 8)
        out["flushes"] = read(SWEEP_SYMBOLS["bench_flushes"], 8)
        return out


class Loop:
    """loop-dec.S / loop-bt.S: RCX iterations from the same registers each run."""

    def __init__(self, obj, insns_per_iteration):
        self.code = section_bytes(obj, ".text")
        self.per_iteration = insns_per_iteration
        self.uc = new_machine(self.code, TEXT, KERNEL_STACK_TOP, NO_PCID_CR3)
        self.uc.reg_write(X.UC_X86_REG_RDX, LOOP_RDX)
        self.start = self.uc.context_save()

    def run_loop(self, iterations):
        """Instructions executed (the hlt not counted: Unicorn stops before it)."""
        self.uc.context_restore(self.start)
        self.uc.reg_write(X.UC_X86_REG_RCX, iterations)
        self.uc.emu_start(TEXT, TEXT + len(self.code) - 1)
        return iterations * self.per_iteration

    def final(self, iterations):
        self.run_loop(iterations)
        return state(self.uc, TEXT)


LOOPS = {"loop-dec": 2, "loop-bt": 8}


def build(workload, workdir):
    """Assembles bench/compare/WORKLOAD.S into workdir (and its code as WORKLOAD.bin, for uc-bench.c)."""
    obj = os.path.join(workdir, workload + ".o")
    if workload == "cr3-sweep":
        assemble(os.path.join(HERE, "cr3-sweep.S"), obj, SWEEP_SYMBOLS)
        w = Sweep(obj)
    else:
        assemble(os.path.join(HERE, workload + ".S"), obj)
        w = Loop(obj, LOOPS[workload])
    with open(os.path.join(workdir, workload + ".bin"), "wb") as f:
        f.write(w.code)
    return w


def oneshot(obj, section):
    """The cold pipeline's last stage: asm-samples/switch-to-user.S's machine (flat, PTI+PCID)."""
    code = section_bytes(obj, section)
    uc = new_machine(code, ENTRY_TEXT, KERNEL_STACK_TOP, KERNEL_CR3)
    run(uc, ENTRY_TEXT, code)
    s = state(uc, ENTRY_TEXT)
    for r in ("rax", "rdi", "rsp", "rip", "cr3"):
        print("%-6s %#x" % (r, s[r]))


def main(argv):
    if len(argv) == 3 and argv[0] == "oneshot":
        oneshot(argv[1], argv[2])
    elif len(argv) >= 3 and argv[0] == "final":
        with tempfile.TemporaryDirectory() as d:
            workload = build(argv[1], d)
            print(json.dumps([workload.final(int(a, 0)) for a in argv[2:]]))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
