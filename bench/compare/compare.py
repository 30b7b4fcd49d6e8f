"""bin/bench --compare: the same workloads in entrysim and in Unicorn (or gcc + as), interleaved
(A B A B ...) in one run; prints a markdown table of medians and writes the raw samples to OUT.

  compare.py --classpath CP --out DIR [--quick] [--tree DIR] [--unicorn-python PY [--unicorn-c UC_BENCH]]

Without --unicorn-python the Unicorn columns are skipped (entrysim's figures still print).
The entrysim workloads run in one JVM (CompareServer, the JVM's default JIT) that stays up while
Unicorn runs in this process (and uc-bench, Unicorn's C API, as a process); each workload is
warmed up on each side before its samples, and the warm-up is not counted.
"""
import argparse
import itertools
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SAMPLE = "asm-samples/switch-to-user.S"
SHIM_OFFSETS = os.path.join(ROOT, "src/main/resources/io/entrysim/kernel/shim/asm/asm-offsets.h")


class Settings:
    def __init__(self, quick):
        self.reps = 3 if quick else 7           # measured samples a side
        self.seconds = 0.3 if quick else 1.0    # one throughput sample
        self.warm_seconds = 1.0 if quick else 4.0
        self.loop_iterations = 1_000_000


def timed_process(cmd, check=True):
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=check)
    return time.perf_counter() - start


def output_of(cmd):
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True).stdout


def interleave(reps, *sides):
    """Each side's sample in turn (A B C A B C ...), reps rounds; a None side is skipped (no samples)."""
    samples = [[] for _ in sides]
    for _ in range(reps):
        for side, out in zip(sides, samples):
            if side is not None:
                out.append(side())
    return samples


class Jvm:
    """The CompareServer JVM: one request a line, one JSON reply."""

    def __init__(self, classpath):
        self.p = subprocess.Popen(["java", "-cp", classpath, "io.entrysim.bench.compare.CompareServer"],
                                  cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def rate(self, request):
        self.p.stdin.write(request + "\n")
        self.p.stdin.flush()
        reply = json.loads(self.p.stdout.readline())
        if "error" in reply:
            raise SystemExit("entrysim: " + request + ": " + reply["error"])
        return reply["ops"] / reply["seconds"]

    def close(self):
        self.p.stdin.close()
        self.p.wait()


def unicorn_rate(op, seconds):
    """Operations a second of op() (which returns its operation count), run for at least `seconds`."""
    op()
    ops, start = 0, time.perf_counter()
    while True:
        ops += op()
        now = time.perf_counter()
        if now - start >= seconds:
            return ops / (now - start)


def unicorn_side(python, work):
    """The Unicorn workloads, imported from ucmachine in this process (the interpreter must have unicorn)."""
    if python is None:
        return None
    sys.path.insert(0, HERE)
    sys.dont_write_bytecode = True   # no __pycache__ in the source tree
    import ucmachine
    return {w: ucmachine.build(w, work) for w in ("cr3-sweep", "loop-dec", "loop-bt")}


def v415_gcc_as(tree, work):
    """gcc -E + as on v4.15 entry_64.S as golden/TreeEntryLayoutTest drives them: the commands."""
    gen = os.path.join(work, "generated-headers")
    os.makedirs(os.path.join(gen, "generated"), exist_ok=True)
    os.makedirs(os.path.join(gen, "asm"), exist_ok=True)
    with open(os.path.join(gen, "generated/autoconf.h"), "w") as f:
        f.write("#define CONFIG_X86_64 1\n#define CONFIG_SMP 1\n#define CONFIG_PAGE_TABLE_ISOLATION 1\n"
                "#define CONFIG_X86_ESPFIX64 1\n#define CONFIG_X86_L1_CACHE_SHIFT 6\n")
    shutil.copy(SHIM_OFFSETS, os.path.join(gen, "generated/asm-offsets.h"))
    for empty in ("asm/unistd_64.h", "asm/unistd_64_x32.h", "asm/syscalls_64.h"):
        open(os.path.join(gen, empty), "w").close()
    includes = [os.path.join(tree, "arch/x86/include"), gen] + [os.path.join(tree, d) for d in
                                                                 ("include", "arch/x86/include/uapi", "include/uapi")]
    s, o = os.path.join(work, "entry_64.s"), os.path.join(work, "entry_64.o")
    gcc = ["gcc", "-E", "-P", "-nostdinc", "-D__ASSEMBLY__", "-D__KERNEL__"] + ["-I" + i for i in includes] + \
          ["-include", os.path.join(tree, "include/linux/kconfig.h"), os.path.join(tree, "arch/x86/entry/entry_64.S"),
           "-o", s]
    return gcc, ["as", "--64", "-o", o, s]


class Table:
    def __init__(self):
        self.rows, self.samples = [], {}

    def add(self, workload, unit, entrysim, peer_name, peer, higher_is_better):
        """One row: medians and ranges; ratio = entrysim's time ÷ the peer's (x > 1: entrysim is x times slower)."""
        self.samples[workload] = {"unit": unit, "entrysim": entrysim, "peer": peer_name, "peer_samples": peer}
        e = statistics.median(entrysim)
        if peer:
            p = statistics.median(peer)
            ratio = "%.2g×" % (p / e if higher_is_better else e / p)
            self.rows.append((workload, cell(entrysim, unit), "%s: %s" % (peer_name, cell(peer, unit)), ratio))
        else:
            self.rows.append((workload, cell(entrysim, unit), peer_name, "–"))

    def markdown(self):
        out = ["| workload | entrysim | Unicorn (or peer) | ratio |", "|---|---|---|---|"]
        out += ["| %s | %s | %s | %s |" % r for r in self.rows]
        return "\n".join(out)


def scale_of(x, unit):
    """The divisor and unit name that show x (and its range) readably: ms or s; k, M, G a second."""
    if unit == "s":
        return (1e-3, "ms") if x < 0.1 else (1, "s")
    for scale, prefix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if x >= scale:
            return scale, prefix + "/s"
    return 1, "/s"


def cell(xs, unit):
    """The median and the range of xs, in one unit: 0.84 s (0.80–0.95)."""
    scale, name = scale_of(statistics.median(xs), unit)
    num = lambda x: "%.3g" % (x / scale)
    return "%s %s (%s–%s)" % (num(statistics.median(xs)), name, num(min(xs)), num(max(xs)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--classpath", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--tree", default=os.path.join(ROOT, "../shared/corpus/kernel/trees/v4.15"))
    ap.add_argument("--unicorn-python")
    ap.add_argument("--unicorn-c", help="the compiled uc-bench program (Unicorn's C API), optional")
    args = ap.parse_args()
    cfg = Settings(args.quick)
    os.makedirs(args.out, exist_ok=True)
    work = tempfile.mkdtemp(prefix="compare-", dir=args.out)
    table = Table()
    uc = unicorn_side(args.unicorn_python, work)
    peer = (lambda name: name) if uc else (lambda name: "skipped: no Unicorn")
    log = lambda msg: print("bench --compare: " + msg, file=sys.stderr, flush=True)
    load_before = os.getloadavg()

    # 1. cold one-shot: processes, before the JVM below is up. Both sides' output is checked once:
    # the no-flush CR3 write (0x8000000001c0b801 in RDI, user PCID in CR3).
    log("cold one-shot (%d runs a side)" % cfg.reps)
    python = args.unicorn_python or "python3"
    entrysim = ["bin/entrysim", "run", SAMPLE, "--feature", "PTI,PCID"]
    expect(output_of(entrysim), ["rdi            0x8000000001c0b801", "cr3            0x1c0b801"], "entrysim run")
    pipeline = [os.path.join(HERE, "pipeline.sh"), SAMPLE, work, python]
    if uc:
        expect(output_of(pipeline), ["rdi    0x8000000001c0b801", "cr3    0x8000000001c0b801"], "the pipeline")
    xs, ys = interleave(cfg.reps, lambda: timed_process(entrysim), process_side(uc, pipeline))
    table.add("cold one-shot: `bin/entrysim run %s --feature PTI,PCID` vs gcc -E + as + Python Unicorn" % SAMPLE,
              "s", xs, peer("pipeline"), ys, False)
    hello_dir = os.path.join(work, "hello")
    os.makedirs(hello_dir)
    with open(os.path.join(hello_dir, "Hello.java"), "w") as f:
        f.write('public class Hello { public static void main(String[] a) { System.out.println("hello"); } }\n')
    subprocess.run(["javac", "-d", hello_dir, os.path.join(hello_dir, "Hello.java")], check=True)
    hello = ["java", "-XX:TieredStopAtLevel=1", "-cp", hello_dir, "Hello"]
    xs, ys = interleave(cfg.reps, lambda: timed_process(hello), lambda: timed_process([python, "-c", "pass"]))
    table.add("floor: JVM hello world (bin/entrysim's JVM options) vs `python3 -c pass`", "s", xs, "python3", ys, False)
    xs, ys = interleave(cfg.reps, lambda: timed_process(["bin/entrysim", "--version"]),
                        process_side(uc, [python, "-c", "import unicorn"]))
    table.add("floor: `bin/entrysim --version` vs `python3 -c 'import unicorn'`", "s", xs, peer("python3"), ys, False)

    jvm = Jvm(args.classpath)
    try:
        # 2. per-state sweep; 3. tight loops: entrysim, Python Unicorn, C Unicorn in turn
        sweep_states = itertools.count()
        throughput = {
            "cr3-sweep": ("per-state sweep: cr3-sweep.S, 27 insns (restore, set the flush mask, run to hlt), states/s",
                          "sweep %g", lambda: (uc["cr3-sweep"].run_state(next(sweep_states)), 1)[1]),
            "loop-dec": ("tight loop: dec/jnz (loop-dec.S), instructions/s",
                         "loop loop-dec %d %%g" % cfg.loop_iterations, lambda: uc["loop-dec"].run_loop(cfg.loop_iterations)),
            "loop-bt": ("tight loop: bt/adc/btr/push/pop/xor/dec/jnz (loop-bt.S), instructions/s",
                        "loop loop-bt %d %%g" % cfg.loop_iterations, lambda: uc["loop-bt"].run_loop(cfg.loop_iterations)),
        }
        for workload, (title, request, uc_op) in throughput.items():
            log(workload)
            jvm.rate(request % cfg.warm_seconds)
            if uc:
                unicorn_rate(uc_op, min(cfg.warm_seconds, 1))
            c = (lambda w=workload: c_rate(args.unicorn_c, work, w, cfg.seconds)) if uc and args.unicorn_c else None
            xs, ys, zs = interleave(cfg.reps, lambda: jvm.rate(request % cfg.seconds),
                                    (lambda: unicorn_rate(uc_op, cfg.seconds)) if uc else None, c)
            table.add(title, "", xs, peer("Python Unicorn"), ys, True)
            if zs:
                table.add(title.split(":")[0] + ", the same entrysim samples vs Unicorn's C API", "", xs, "C Unicorn", zs, True)

        # 4. front end
        tree = os.path.abspath(args.tree)
        if not os.path.isdir(tree):
            log("front end skipped: no kernel tree at %s" % tree)
        else:
            log("front end")
            gcc, gas = v415_gcc_as(tree, work)
            gcc_as = lambda: timed_process(gcc) + timed_process(gas)
            seconds = max(cfg.seconds, 2 * (not args.quick))
            jvm.rate("frontend %s %g" % (tree, cfg.warm_seconds))
            xs, ys = interleave(cfg.reps, lambda: 1 / jvm.rate("frontend %s %g" % (tree, seconds)), gcc_as)
            table.add("front end: v4.15 entry_64.S + headers, entrysim in-process (warm) vs gcc -E + as processes",
                      "s", xs, "gcc -E + as", ys, False)
            entry = os.path.join(tree, "arch/x86/entry/entry_64.S")
            cmd = ["bin/entrysim", "run", "--kernel-tree", tree, entry, "--max-steps", "1"]
            expect(output_of(cmd), ["steps: 1"], "entrysim run --kernel-tree")
            xs, ys = interleave(cfg.reps, lambda: timed_process(cmd, check=False), gcc_as)
            table.add("front end as processes: `bin/entrysim run --kernel-tree v4.15 entry_64.S --max-steps 1` vs gcc -E + as",
                      "s", xs, "gcc -E + as", ys, False)
    finally:
        jvm.close()

    md = table.markdown()
    context = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "load_before": load_before,
               "load_after": os.getloadavg(), "cpus": os.cpu_count(), "machine": platform.platform(),
               "quick": args.quick, "reps": cfg.reps, "seconds_per_sample": cfg.seconds}
    with open(os.path.join(args.out, "samples.json"), "w") as f:
        json.dump({"context": context, "workloads": table.samples}, f, indent=1)
    with open(os.path.join(args.out, "table.md"), "w") as f:
        f.write(md + "\n")
    shutil.rmtree(work, ignore_errors=True)
    print(md)
    print("\nMedians (min–max) of %d interleaved samples a side%s; ratio: entrysim's time ÷ the peer's (above 1:"
          " entrysim is slower). %s, %d CPUs, load %.1f before, %.1f after; raw samples in %s"
          % (cfg.reps, ", --quick" if args.quick else "", context["date"], context["cpus"], load_before[0],
             context["load_after"][0], os.path.relpath(os.path.join(args.out, "samples.json"), ROOT)))


def process_side(available, cmd):
    return (lambda: timed_process(cmd)) if available else None


def expect(output, lines, what):
    missing = [x for x in lines if x not in output]
    if missing:
        raise SystemExit("bench --compare: %s did not print %s:\n%s" % (what, missing, output))


def c_rate(program, work, workload, seconds):
    """Operations a second from the C program (it times itself after one warm-up run)."""
    r = subprocess.run([program, os.path.join(work, workload + ".bin"), workload, str(seconds)],
                       check=True, capture_output=True, text=True)
    ops, secs = r.stdout.split()
    return int(ops) / float(secs)


if __name__ == "__main__":
    main()
