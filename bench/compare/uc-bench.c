/*
 * bin/bench --compare's Unicorn C API peer: the workloads of ucmachine.py (same machine, same
 * per-state work) without Python in the loop. Prints "OPERATIONS SECONDS" (states, or
 * instructions of the loops), timed after one untimed run.
 *   uc-bench CODE.bin cr3-sweep|loop-dec|loop-bt SECONDS
 * CODE.bin is the workload's code section as ucmachine.py writes it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unicorn/unicorn.h>

/* The addresses and offsets of ucmachine.py. */
#define ENTRY_TEXT 0xFFFFFFFF81100000ULL
#define TEXT 0xFFFFFFFF81000000ULL
#define PERCPU 0xFFFF88807FC00000ULL
#define KERNEL_STACK_TOP 0xFFFFC90000004000ULL
#define ENTRY_STACK_TOP 0xFFFFFE0000002200ULL
#define USER_CR3 0x1C0B801ULL
#define NO_PCID_CR3 0x1C0A000ULL
#define PERCPU_BLOCK 0x8000
#define FLUSH_MASK (0x80C0 + 22)
#define LOOP_RDX 0x5A5AULL
#define LOOP_ITERATIONS 1000000ULL

static void check(uc_err e, const char *what) {
    if (e != UC_ERR_OK) {
        fprintf(stderr, "uc-bench: %s: %s\n", what, uc_strerror(e));
        exit(1);
    }
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: uc-bench CODE.bin cr3-sweep|loop-dec|loop-bt SECONDS\n");
        return 2;
    }
    static uint8_t code[0x1000];
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    size_t len = fread(code, 1, sizeof code, f);
    fclose(f);
    int sweep = strcmp(argv[2], "cr3-sweep") == 0;
    int per_iteration = strcmp(argv[2], "loop-dec") == 0 ? 2 : 8;
    double seconds = atof(argv[3]);
    uint64_t base = sweep ? ENTRY_TEXT : TEXT, end = base + len - 1;  /* stop at the final hlt */

    uc_engine *uc;
    check(uc_open(UC_ARCH_X86, UC_MODE_64, &uc), "open");
    check(uc_mem_map(uc, base, 0x1000, UC_PROT_ALL), "map code");
    check(uc_mem_write(uc, base, code, len), "write code");
    check(uc_mem_map(uc, KERNEL_STACK_TOP - 0x4000, 0x4000, UC_PROT_ALL), "map stack");
    check(uc_mem_map(uc, ENTRY_STACK_TOP & ~0xFFFULL, 0x1000, UC_PROT_ALL), "map entry stack");
    check(uc_mem_map(uc, PERCPU, 0x10000, UC_PROT_ALL), "map per-CPU");
    uint64_t v = PERCPU;
    check(uc_reg_write(uc, UC_X86_REG_GS_BASE, &v), "gs base");
    v = sweep ? ENTRY_STACK_TOP : KERNEL_STACK_TOP;
    check(uc_reg_write(uc, UC_X86_REG_RSP, &v), "rsp");
    v = sweep ? USER_CR3 : NO_PCID_CR3;
    check(uc_reg_write(uc, UC_X86_REG_CR3, &v), "cr3");
    v = LOOP_RDX;
    if (!sweep) {
        check(uc_reg_write(uc, UC_X86_REG_RDX, &v), "rdx");
    }
    uc_context *start;
    check(uc_context_alloc(uc, &start), "context");
    check(uc_context_save(uc, start), "save");

    uint8_t block[256];
    uint64_t ops = 0, k = 0;
    double t0 = 0, t = 0;
    for (int warm = 1;; warm = 0) {
        check(uc_context_restore(uc, start), "restore");
        if (sweep) {
            memset(block, 0, sizeof block);
            uint16_t mask = (uint16_t) (k++ * 0x9E37);
            memcpy(block + FLUSH_MASK - PERCPU_BLOCK, &mask, 2);
            check(uc_mem_write(uc, PERCPU + PERCPU_BLOCK, block, sizeof block), "per-CPU block");
        } else {
            v = LOOP_ITERATIONS;
            check(uc_reg_write(uc, UC_X86_REG_RCX, &v), "rcx");
        }
        check(uc_emu_start(uc, base, end, 0, 0), "run");
        if (warm) {
            t0 = now();
            continue;
        }
        ops += sweep ? 1 : LOOP_ITERATIONS * per_iteration;
        if ((t = now()) - t0 >= seconds) {
            break;
        }
    }
    printf("%llu %.6f\n", (unsigned long long) ops, t - t0);
    uc_context_free(start);
    uc_close(uc);
    return 0;
}
