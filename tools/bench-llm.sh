#!/bin/bash
# Llama generation speed in the kernel under QEMU with -smp 1 and -smp 2,
# against fluid-host with 1 and 2 threads on the same model, in one session
# of measurements. Each kernel boot runs `generate --json` RUNS times after a
# first (loading) run; fluid-host runs RUNS times per thread count. Prints
# JSON lines and a table of medians (generation and prompt tok/s).
# Usage: tools/bench-llm.sh [--model FILE.gguf] [--runs N] [--tokens N] [--mem MIB] [--disk ide|ahci]
#   Without --model, mkmodel makes a Q8_0 model (dim 256, 4 layers, 8/2 heads, FFN 768).
#   Needs build/ (kernel, mkmodel) and build-bench/ (fluid-host without sanitizers).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
model="" runs=3 tokens=32 mem=1024 disk=ahci
prompt="Once upon a time, the little robot"
while (($#)); do
    case $1 in
        --model) model=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --tokens) tokens=$2; shift 2 ;;
        --mem) mem=$2; shift 2 ;;
        --disk) disk=$2; shift 2 ;;
        -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench-llm: unknown option $1" >&2; exit 2 ;;
    esac
done
build=${FLUID_BUILD:-$root/build}
kernel=$build/kernel/kernel-boot.elf
host=${FLUID_HOST:-$root/build-bench/host/fluid-host/fluid-host}
[[ -f $kernel ]] || { echo "bench-llm: build the kernel first (./fluid build)" >&2; exit 1; }
[[ -x $host ]] || { echo "bench-llm: no $host (./fluid bench llm builds it)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [[ -z $model ]]; then
    model=$work/bench.gguf
    "$build/tools/mkmodel/mkmodel" --out "$model" --type q8_0 --dim 256 --layers 4 --heads 8 --kv-heads 2 \
        --ffn 768 --vocab 2048 --seed 31 >/dev/null
fi
name=$(basename "$model")
size_mib=$(( ($(stat -L -c %s "$model") >> 20) + 128 ))
"$root/tools/mkimage.sh" --kernel "$kernel" --out "$work/disk.img" --size $((size_mib > 256 ? size_mib : 256)) \
    --add "$model" >/dev/null

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
field() { LC_ALL=C sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p"; }

# One boot with $1 CPUs: a loading run, then RUNS timed ones; prints their JSON.
kernel_runs() {
    local smp=$1 line count=0
    local command="generate \"$prompt\" --model /models/$name --tokens $tokens --json"
    coproc QEMU { exec "$root/qemu/fluid-qemu.sh" --image "$work/disk.img" --snapshot --smp "$smp" \
        --mem "$mem" --disk "$disk" 2>/dev/null; }
    while IFS= read -r -t 3600 line <&"${QEMU[0]}"; do
        if [[ $line == *"fluid: ready"* ]]; then
            printf '%s\r' "$command" >&"${QEMU[1]}"
        elif [[ $line == *"error:"* ]]; then
            echo "bench-llm: $line" >&2
            printf 'poweroff\r' >&"${QEMU[1]}"
        elif [[ $line == '{"model":'* ]]; then
            ((count > 0)) && printf '%s\n' "${line%$'\r'}"
            count=$((count + 1))
            if ((count > runs)); then printf 'poweroff\r' >&"${QEMU[1]}"; else printf '%s\r' "$command" >&"${QEMU[1]}"; fi
        fi
    done
    wait "$QEMU_PID" || true
}

host_runs() {
    local threads=$1 i
    for ((i = 0; i < runs; i++)); do
        "$host" generate "$model" "$prompt" --tokens "$tokens" --threads "$threads" 2>&1 >/dev/null | grep '^load '
    done
}

declare -A gen prompt_rate
for smp in 1 2; do
    mapfile -t lines < <(kernel_runs "$smp")
    ((${#lines[@]} == runs)) || { echo "bench-llm: -smp $smp gave ${#lines[@]} of $runs runs" >&2; exit 1; }
    gen[kernel$smp]=$(printf '%s\n' "${lines[@]}" | field generation_tok_s | median)
    prompt_rate[kernel$smp]=$(printf '%s\n' "${lines[@]}" | field prompt_tok_s | median)
    printf '%s\n' "${lines[@]}" | sed "s/^{/{\"engine\":\"kernel\",\"smp\":$smp,/"
done
for threads in 1 2; do
    mapfile -t lines < <(host_runs "$threads")
    gen[host$threads]=$(printf '%s\n' "${lines[@]}" | sed -n 's/.*generation [0-9]* tokens \([0-9.]*\) tok\/s.*/\1/p' | median)
    prompt_rate[host$threads]=$(printf '%s\n' "${lines[@]}" | sed -n 's/.*prompt [0-9]* tokens \([0-9.]*\) tok\/s.*/\1/p' | median)
    for line in "${lines[@]}"; do printf '{"engine":"fluid-host","threads":%s,"line":"%s"}\n' "$threads" "$line"; done
done
printf '\n| %s, %d tokens | generation tok/s (median of %d) | prompt tok/s |\n|---|---|---|\n' "$name" "$tokens" "$runs"
for k in kernel1 kernel2 host1 host2; do
    printf '| %s | %s | %s |\n' "$k" "${gen[$k]}" "${prompt_rate[$k]}"
done
