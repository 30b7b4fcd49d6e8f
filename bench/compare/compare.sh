#!/usr/bin/env bash
# bin/bench --compare [--quick]: entrysim against Unicorn (and gcc -E + as) on the same workloads,
# interleaved in one run; prints a markdown table, raw samples in target/compare/. Called by
# bin/bench with the test classpath in ENTRYSIM_BENCH_CLASSPATH (see compare.py for the workloads).
# Installs Debian's python3-unicorn (and libunicorn-dev, for the C API peer) when missing and
# running as root; without Unicorn the Unicorn columns are skipped with a message.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/target/compare"
mkdir -p "$out"
say() { echo "bench --compare: $*" >&2; }

# The interpreter with unicorn: python3 on PATH may be another one (pyenv) than Debian's.
find_unicorn_python() {
  for py in python3 /usr/bin/python3; do
    if command -v "$py" >/dev/null && "$py" -c 'import unicorn' 2>/dev/null; then
      command -v "$py"
      return 0
    fi
  done
  return 1
}

if ! uc_python="$(find_unicorn_python)"; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing python3-unicorn and libunicorn-dev (apt-get)..."
    apt-get install -y -q python3-unicorn libunicorn-dev >"$out/apt.log" 2>&1 || say "apt-get failed: see $out/apt.log"
  fi
  uc_python="$(find_unicorn_python)" || { say "no Python with unicorn: the Unicorn columns are skipped"; uc_python=""; }
fi

uc_c=""
if [ -n "$uc_python" ] && [ -f /usr/include/unicorn/unicorn.h ]; then
  if gcc -O2 -o "$out/uc-bench" "$here/uc-bench.c" -lunicorn 2>"$out/uc-bench.log"; then
    uc_c="$out/uc-bench"
  else
    say "uc-bench.c did not build (see $out/uc-bench.log): the C API rows are skipped"
  fi
elif [ -n "$uc_python" ]; then
  say "no unicorn.h (libunicorn-dev): the C API rows are skipped"
fi

exec "${uc_python:-python3}" "$here/compare.py" --classpath "$ENTRYSIM_BENCH_CLASSPATH" --out "$out" \
  ${uc_python:+--unicorn-python "$uc_python"} ${uc_c:+--unicorn-c "$uc_c"} "$@"
