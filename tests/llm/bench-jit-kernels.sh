#!/bin/sh
# Generation speed with the native kernels against the JIT-compiled ones
# (docs/BENCHMARKS.md, "LLM kernels: native against JIT"), alternating runs
# on one model, medians:
#   bench-jit-kernels.sh FLUID_HOST MODEL LLM_MODULES_DIR [RUNS] [TOKENS] [THREADS]
# Prints each run's closing line, the JIT's final tiers, then the medians.
set -eu
fluid_host=$1 model=$2 modules=$3 runs=${4:-3} tokens=${5:-64} threads=${6:-2}
prompt="Once upon a time there was a little fox who lived in a wood near the river"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
field() { sed -n "s/.*$1 [0-9]* tokens \([0-9.]*\) tok\/s.*/\1/p" "$2" | head -1; }
median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
i=1
while [ "$i" -le "$runs" ]; do
    "$fluid_host" generate "$model" "$prompt" --tokens "$tokens" --ignore-eos --threads "$threads" \
        >/dev/null 2>"$tmp/native.$i"
    "$fluid_host" generate "$model" "$prompt" --tokens "$tokens" --ignore-eos --threads "$threads" \
        --jit-kernels "$modules" >/dev/null 2>"$tmp/jit.$i"
    echo "run $i native: $(head -1 "$tmp/native.$i")"
    echo "run $i jit:    $(head -1 "$tmp/jit.$i")"
    echo "run $i $(tail -1 "$tmp/jit.$i")"
    i=$((i + 1))
done
for kind in native jit; do
    gen=$(for f in "$tmp/$kind".*; do field generation "$f"; done | median)
    pro=$(for f in "$tmp/$kind".*; do field prompt "$f"; done | median)
    echo "median $kind: generation $gen tok/s, prompt $pro tok/s ($runs runs, $tokens tokens, $threads threads)"
done
