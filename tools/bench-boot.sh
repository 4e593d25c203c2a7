#!/bin/bash
# Boot-time benchmark: how long from starting QEMU until the kernel prints
# `fluid: ready`, under SeaBIOS and under OVMF, N runs each; then poweroff.
# Prints one JSON line per run, and a summary with the median per firmware.
# Absolute times under TCG mean little; compare firmwares and builds within
# one run. Usage: tools/bench-boot.sh [--image IMG] [--runs N]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
image=$root/build/fluid.img
runs=5
while (($#)); do
    case $1 in
        --image) image=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench-boot: unknown option $1" >&2; exit 2 ;;
    esac
done
[[ -f $image ]] || { echo "bench-boot: no image at $image (run ./fluid image)" >&2; exit 1; }

# One boot: prints seconds to ready, or fails.
boot_once() {
    local firmware_flag=$1 start line now
    start=$(date +%s.%N)
    coproc QEMU { exec "$root/qemu/fluid-qemu.sh" --image "$image" --snapshot $firmware_flag 2>/dev/null; }
    local ready=""
    while IFS= read -r -t 180 line <&"${QEMU[0]}"; do
        if [[ $line == *"fluid: ready"* ]]; then
            now=$(date +%s.%N)
            ready=$(awk -v a="$start" -v b="$now" 'BEGIN {print b - a}')
            break
        fi
    done
    printf 'poweroff\r' >&"${QEMU[1]}" || true
    # Drain until QEMU exits so the next run starts clean.
    cat <&"${QEMU[0]}" >/dev/null || true
    wait "$QEMU_PID" || true
    [[ -n $ready ]] || return 1
    printf '%.3f\n' "$ready"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

kernel_bytes=$(stat -c %s "$root/build/kernel/kernel.elf" 2>/dev/null || echo 0)
declare -A medians
for firmware in bios uefi; do
    flag=""
    [[ $firmware == uefi ]] && flag=--uefi
    samples=()
    for ((i = 1; i <= runs; i++)); do
        t=$(boot_once "$flag") || { echo "bench-boot: $firmware run $i never reached 'fluid: ready'" >&2; exit 1; }
        samples+=("$t")
        echo "{\"bench\":\"boot\",\"firmware\":\"$firmware\",\"run\":$i,\"ready_s\":$t}"
    done
    medians[$firmware]=$(printf '%s\n' "${samples[@]}" | median)
done
echo "{\"bench\":\"boot-summary\",\"runs\":$runs,\"bios_median_s\":${medians[bios]},\"uefi_median_s\":${medians[uefi]},\"kernel_elf_bytes\":$kernel_bytes}"
echo "boot to 'fluid: ready' (median of $runs): SeaBIOS ${medians[bios]} s, OVMF ${medians[uefi]} s; kernel.elf $kernel_bytes bytes"
