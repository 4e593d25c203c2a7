#!/bin/bash
# JIT benchmark: LLJIT start-up, compile time of each module at O0 and O3,
# and run time at O0 and O3 (the O3/O0 speed-up), measured twice in one go:
#   host  - fluid-host (same engine, Linux, no sanitizers), one process per run;
#   qemu  - the kernel in QEMU (TCG, SeaBIOS), one boot, `jit run` per run.
# Every figure is the median of N runs (default 5). Prints JSON lines and a
# table. Absolute QEMU times mean little under TCG; compare within a column.
# Usage: tools/bench-jit.sh --host-bin PATH --image IMG --modules DIR [--runs N]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=5
host_bin="" image="" modules=""
while (($#)); do
    case $1 in
        --host-bin) host_bin=$2; shift 2 ;;
        --image) image=$2; shift 2 ;;
        --modules) modules=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench-jit: unknown option $1" >&2; exit 2 ;;
    esac
done
[[ -x $host_bin && -f $image && -d $modules ]] || { echo "bench-jit: need --host-bin, --image and --modules" >&2; exit 2; }

# name module function args
workloads=("fib fib 27" "matmul matmul 96 1")

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
declare -A result

# --- host ---------------------------------------------------------------
for w in "${workloads[@]}"; do
    read -r name fn args <<<"$w"
    for level in 0 3; do
        compile=() run=() start=()
        for ((i = 0; i < runs; i++)); do
            # shellcheck disable=SC2086
            out=$("$host_bin" jit run --opt $level "$modules/$name.bc" "$fn" $args)
            compile+=("$(sed -n 's/^compile: \([0-9.]*\) ms.*/\1/p' <<<"$out")")
            run+=("$(sed -n 's/^run: \([0-9.]*\) ms.*/\1/p' <<<"$out")")
            start+=("$(sed -n 's/^jit start-up: \([0-9.]*\) ms.*/\1/p' <<<"$out")")
        done
        result[host,$name,$level,compile]=$(printf '%s\n' "${compile[@]}" | median)
        result[host,$name,$level,run]=$(printf '%s\n' "${run[@]}" | median)
        result[host,startup]=$(printf '%s\n' "${start[@]}" | median)
        echo "{\"bench\":\"jit\",\"where\":\"host\",\"module\":\"$name\",\"opt\":$level,\"compile_ms\":${result[host,$name,$level,compile]},\"run_ms\":${result[host,$name,$level,run]}}"
    done
done

# --- QEMU ---------------------------------------------------------------
coproc QEMU { exec "$root/qemu/fluid-qemu.sh" --image "$image" --snapshot 2>/dev/null; }
# Reads guest output up to the next prompt; prints it.
until_prompt() {
    local text="" chunk
    while IFS= read -r -d '>' -t 300 chunk <&"${QEMU[0]}"; do
        text+="$chunk>"
        [[ $text == *"fluid>" ]] && break
    done
    printf '%s' "$text"
}
boot=$(until_prompt)
[[ $boot == *"fluid: ready"* ]] || { echo "bench-jit: the kernel did not boot" >&2; exit 1; }
printf 'jit info\r' >&"${QEMU[1]}"
info=$(until_prompt)
result[qemu,startup]=$(sed -n 's/.*LLJIT start-up \([0-9]*\) us.*/\1/p' <<<"$info" | awk '{print $1 / 1000}')
for w in "${workloads[@]}"; do
    read -r name fn args <<<"$w"
    for level in 0 3; do
        compile=() run=()
        for ((i = 0; i < runs; i++)); do
            printf 'jit run --opt %s %s %s %s\r' "$level" "$name" "$fn" "$args" >&"${QEMU[1]}"
            out=$(until_prompt)
            line=$(grep -a 'compiled at' <<<"$out" || true)
            [[ -n $line ]] || { echo "bench-jit: no result for $name at O$level: $out" >&2; exit 1; }
            compile+=("$(sed -n 's/.* in \([0-9]*\) us (.*/\1/p' <<<"$line" | awk '{print $1 / 1000}')")
            run+=("$(sed -n 's/.*ran in \([0-9]*\) us.*/\1/p' <<<"$line" | awk '{print $1 / 1000}')")
        done
        result[qemu,$name,$level,compile]=$(printf '%s\n' "${compile[@]}" | median)
        result[qemu,$name,$level,run]=$(printf '%s\n' "${run[@]}" | median)
        echo "{\"bench\":\"jit\",\"where\":\"qemu\",\"module\":\"$name\",\"opt\":$level,\"compile_ms\":${result[qemu,$name,$level,compile]},\"run_ms\":${result[qemu,$name,$level,run]}}"
    done
done
printf 'poweroff\r' >&"${QEMU[1]}" || true
cat <&"${QEMU[0]}" >/dev/null || true
wait "$QEMU_PID" || true

# --- summary ------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0) ? a / b : 0}'; }
echo "{\"bench\":\"jit-startup\",\"host_ms\":${result[host,startup]},\"qemu_ms\":${result[qemu,startup]}}"
printf '\n%-8s %-6s %14s %14s %12s %12s %10s\n' where module "compile O0 ms" "compile O3 ms" "run O0 ms" "run O3 ms" "O3 speed-up"
for where in host qemu; do
    for w in "${workloads[@]}"; do
        read -r name _ <<<"$w"
        printf '%-8s %-6s %14s %14s %12s %12s %9sx\n' "$where" "$name" \
            "${result[$where,$name,0,compile]}" "${result[$where,$name,3,compile]}" \
            "${result[$where,$name,0,run]}" "${result[$where,$name,3,run]}" \
            "$(ratio "${result[$where,$name,0,run]}" "${result[$where,$name,3,run]}")"
    done
done
printf 'LLJIT start-up: host %s ms, qemu %s ms (median of %s)\n' "${result[host,startup]}" "${result[qemu,startup]}" "$runs"
