#!/usr/bin/env bash
# The peer of `bin/entrysim run FILE.S --feature PTI,PCID` in bin/bench --compare's cold one-shot:
# gcc -E (entrysim's shim headers, this folder's ALTERNATIVE for gas), GNU as (per-CPU symbols as
# absolute offsets), then Unicorn runs the object's .entry.text (ucmachine.py oneshot).
#   bench/compare/pipeline.sh FILE.S WORKDIR [PYTHON]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
shims="$here/../../src/main/resources/io/entrysim/kernel/shim"
src="$1" work="$2" python="${3:-python3}"
gcc -E -P -nostdinc -D__ASSEMBLY__ -I"$here/gas-include" -I"$shims" \
    -D'BENCH_FEATURE_A=X86_FEATURE_PTI' -D'BENCH_FEATURE_B=X86_FEATURE_PCID' "$src" -o "$work/oneshot.s"
as --64 --defsym cpu_tlbstate=0x80c0 -o "$work/oneshot.o" "$work/oneshot.s"
"$python" "$here/ucmachine.py" oneshot "$work/oneshot.o" .entry.text
