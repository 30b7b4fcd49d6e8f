package io.entrysim.diff;

/**
 * The native side's fixed parts: the C driver (buffer mapping, fault catching, state in/out) and
 * the trampoline that enters a program with every register and RFLAGS as given, and on
 * {@code program_exit} saves them all, restores the host's callee-saved registers and clears DF
 * before returning to C. Layout constants must match {@link DiffLayout}.
 */
final class NativeSources {
    private NativeSources() {}

    static final String DRIVER_C = """
        #define _GNU_SOURCE
        #include <setjmp.h>
        #include <signal.h>
        #include <stdint.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include <sys/mman.h>
        #include <unistd.h>

        #define BUF_BASE 0x%xUL
        #define BUF_SIZE %d
        #define WORDS (BUF_SIZE / 8)
        #define IN_WORDS 18   /* 16 GPRs, RFLAGS, buffer seed */

        extern void run_program(const uint64_t *state, void *entry);
        extern uint64_t harness_out[17];
        extern void *prog_table[];
        extern uint64_t prog_count;

        static sigjmp_buf resume;
        static volatile uint64_t fault_address;

        static void on_fault(int sig, siginfo_t *si, void *ctx) {
            (void) ctx;
            fault_address = (uint64_t) si->si_addr;
            siglongjmp(resume, sig);
        }

        /* SplitMix64, as DiffLayout.initialBuffer. */
        static uint64_t splitmix(uint64_t *s) {
            uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
            return z ^ (z >> 31);
        }

        static void die(const char *what) {
            perror(what);
            exit(2);
        }

        int main(int argc, char **argv) {
            if (argc != 3) {
                fprintf(stderr, "usage: %%s IN OUT\\n", argv[0]);
                return 2;
            }
            alarm(600);
            uint64_t *buf = mmap((void *) BUF_BASE, BUF_SIZE, PROT_READ | PROT_WRITE,
                                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
            if (buf != MAP_FAILED && (uint64_t) buf != BUF_BASE) {
                /* A kernel before 4.17 takes MAP_FIXED_NOREPLACE as a hint; nothing of this
                   -no-pie program lives at BUF_BASE, so MAP_FIXED is safe there. */
                munmap(buf, BUF_SIZE);
                buf = mmap((void *) BUF_BASE, BUF_SIZE, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
            }
            if (buf == MAP_FAILED || (uint64_t) buf != BUF_BASE)
                die("mmap of the buffer at its fixed address");
            static char altstack[1 << 16];
            stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0 };
            if (sigaltstack(&ss, NULL))
                die("sigaltstack");
            struct sigaction sa;
            memset(&sa, 0, sizeof sa);
            sa.sa_sigaction = on_fault;
            sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
            int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP };
            for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
                if (sigaction(sigs[i], &sa, NULL))
                    die("sigaction");

            FILE *in = fopen(argv[1], "rb");
            FILE *out = fopen(argv[2], "wb");
            if (!in || !out)
                die("open");
            setvbuf(out, NULL, _IOFBF, 1 << 20);
            uint64_t n;
            if (fread(&n, 8, 1, in) != 1 || n != prog_count)
                die("input header");
            uint64_t *states = malloc(n * IN_WORDS * 8);
            if (!states || fread(states, 8, n * IN_WORDS, in) != n * IN_WORDS)
                die("input states");
            static uint64_t initial[WORDS];
            for (uint64_t i = 0; i < n; i++) {
                uint64_t *st = states + i * IN_WORDS;
                uint64_t seed = st[17];
                for (int w = 0; w < WORDS; w++) {
                    uint64_t v = splitmix(&seed);
                    if ((v >> 61) == 0)
                        v = 0;
                    else if ((v >> 61) == 7)
                        v = ~0ULL;
                    initial[w] = v;
                    buf[w] = v;
                }
                uint64_t head[19] = { 0 };
                fault_address = 0;
                int sig = sigsetjmp(resume, 1);
                if (sig == 0) {
                    run_program(st, prog_table[i]);
                    memcpy(head + 2, harness_out, sizeof harness_out);
                } else {
                    head[0] = (uint64_t) sig;
                    head[1] = fault_address;
                }
                fwrite(head, 8, 19, out);
                uint64_t changed = 0;
                for (int w = 0; w < WORDS; w++)
                    changed += buf[w] != initial[w];
                fwrite(&changed, 8, 1, out);
                for (int w = 0; w < WORDS; w++) {
                    if (buf[w] != initial[w]) {
                        uint64_t pair[2] = { (uint64_t) w * 8, buf[w] };
                        fwrite(pair, 8, 2, out);
                    }
                }
            }
            if (fclose(out))
                die("write output");
            return 0;
        }
        """.formatted(DiffLayout.BUFFER_BASE, DiffLayout.BUFFER_SIZE);

    /** run_program(state, entry): state is rax..r15 in hardware order, then RFLAGS. */
    static final String TRAMPOLINE_S = """
            .text
            .globl run_program, program_exit, harness_out
        run_program:
            push %rbx
            push %rbp
            push %r12
            push %r13
            push %r14
            push %r15
            mov %rsp, host_rsp(%rip)
            mov %rsi, entry(%rip)
            pushq 128(%rdi)
            popfq
            mov 0(%rdi), %rax
            mov 8(%rdi), %rcx
            mov 16(%rdi), %rdx
            mov 24(%rdi), %rbx
            mov 32(%rdi), %rsp
            mov 40(%rdi), %rbp
            mov 48(%rdi), %rsi
            mov 64(%rdi), %r8
            mov 72(%rdi), %r9
            mov 80(%rdi), %r10
            mov 88(%rdi), %r11
            mov 96(%rdi), %r12
            mov 104(%rdi), %r13
            mov 112(%rdi), %r14
            mov 120(%rdi), %r15
            mov 56(%rdi), %rdi
            jmp *entry(%rip)

        /* Every program ends with jmp program_exit. Only MOVs before PUSHF: the flags are the program's. */
        program_exit:
            mov %rax, harness_out+0(%rip)
            mov %rcx, harness_out+8(%rip)
            mov %rdx, harness_out+16(%rip)
            mov %rbx, harness_out+24(%rip)
            mov %rsp, harness_out+32(%rip)
            mov %rbp, harness_out+40(%rip)
            mov %rsi, harness_out+48(%rip)
            mov %rdi, harness_out+56(%rip)
            mov %r8, harness_out+64(%rip)
            mov %r9, harness_out+72(%rip)
            mov %r10, harness_out+80(%rip)
            mov %r11, harness_out+88(%rip)
            mov %r12, harness_out+96(%rip)
            mov %r13, harness_out+104(%rip)
            mov %r14, harness_out+112(%rip)
            mov %r15, harness_out+120(%rip)
            mov host_rsp(%rip), %rsp
            pushfq
            popq harness_out+128(%rip)
            cld
            pop %r15
            pop %r14
            pop %r13
            pop %r12
            pop %rbp
            pop %rbx
            ret

            .bss
            .balign 8
        host_rsp:
            .zero 8
        entry:
            .zero 8
        harness_out:
            .zero 136
            .section .note.GNU-stack,"",@progbits
        """;
}
