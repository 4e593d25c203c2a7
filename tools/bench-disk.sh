#!/bin/bash
# Sequential-read benchmark of the boot volume: a file of SIZE MiB (default
# 512) of random bytes in /models on a scratch image, read with `checksum`
# in the kernel over IDE (ATA PIO) and over AHCI (DMA), RUNS times each in
# one boot per bus; and the same file read by mtools' `mcopy` on the host as
# the peer. Prints JSON lines and a table with medians.
# Usage: tools/bench-disk.sh [--size MIB] [--runs N]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
size=512
runs=3
while (($#)); do
    case $1 in
        --size) size=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench-disk: unknown option $1" >&2; exit 2 ;;
    esac
done
kernel=$root/build/kernel/kernel-boot.elf
[[ -f $kernel ]] || { echo "bench-disk: build the kernel first (./fluid build)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -c $((size << 20)) /dev/urandom > "$work/big.gguf"
"$root/tools/mkimage.sh" --kernel "$kernel" --out "$work/disk.img" --size $((size + 256)) \
    --add "$work/big.gguf" >/dev/null
expected=$(python3 -c 'import sys,zlib; print("%08x" % (zlib.crc32(open(sys.argv[1],"rb").read()) & 0xffffffff))' \
    "$work/big.gguf")

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# One boot on bus $1: `checksum` RUNS times; prints the seconds of each run.
kernel_runs() {
    local bus=$1 line count=0
    coproc QEMU { exec "$root/qemu/fluid-qemu.sh" --image "$work/disk.img" --snapshot --disk "$bus" 2>/dev/null; }
    while IFS= read -r -t 300 line <&"${QEMU[0]}"; do
        if [[ $line == *"fluid: ready"* ]]; then
            printf 'checksum /models/big.gguf\r' >&"${QEMU[1]}"
        elif [[ $line == crc32* ]]; then
            [[ $line == "crc32 $expected "* ]] || { echo "bench-disk: wrong CRC on $bus: $line" >&2; exit 1; }
            awk '{print $5}' <<<"$line"
            count=$((count + 1))
            if ((count == runs)); then
                printf 'poweroff\r' >&"${QEMU[1]}"
            else
                printf 'checksum /models/big.gguf\r' >&"${QEMU[1]}"
            fi
        fi
    done
    wait "$QEMU_PID" || true
}

host_runs() {
    local offset=$((2048 * 512)) i start end
    for ((i = 0; i < runs; i++)); do
        sync; start=$(date +%s.%N)
        mcopy -n -i "$work/disk.img@@$offset" ::/models/big.gguf "$work/copy" 
        end=$(date +%s.%N)
        cmp -s "$work/copy" "$work/big.gguf" || { echo "bench-disk: mcopy copy differs" >&2; exit 1; }
        rm -f "$work/copy"
        awk -v a="$start" -v b="$end" 'BEGIN {printf "%.3f\n", b - a}'
    done
}

declare -A result
for bus in ide ahci; do
    mapfile -t times < <(kernel_runs "$bus")
    ((${#times[@]} == runs)) || { echo "bench-disk: $bus gave ${#times[@]} of $runs runs" >&2; exit 1; }
    result[$bus]=$(printf '%s\n' "${times[@]}" | median)
    echo "{\"reader\":\"kernel-$bus\",\"mib\":$size,\"seconds\":[$(IFS=,; echo "${times[*]}")],\"median\":${result[$bus]}}"
done
mapfile -t times < <(host_runs)
result[mcopy]=$(printf '%s\n' "${times[@]}" | median)
echo "{\"reader\":\"host-mcopy\",\"mib\":$size,\"seconds\":[$(IFS=,; echo "${times[*]}")],\"median\":${result[mcopy]}}"
printf '\n| reader | median of %d (s, %d MiB) | MiB/s |\n|---|---|---|\n' "$runs" "$size"
for r in ide ahci mcopy; do
    awk -v r="$r" -v s="${result[$r]}" -v m="$size" 'BEGIN {printf "| %s | %.2f | %.1f |\n", r, s, m / s}'
done
