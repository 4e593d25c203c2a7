#!/bin/bash
# tests/tools/flash-test.sh -- tools/flash.sh against a fake machine: a fake
# /sys and /proc (FLUID_FLASH_SYSFS, FLUID_FLASH_PROC) and regular files
# standing in for the disks. Every refusal must name its reason and leave
# the target byte-for-byte as it was; the accepted writes must leave the
# image's bytes on the target.
set -euo pipefail

FLASH=${1:?usage: flash-test.sh path/to/tools/flash.sh}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
failures=0 checks=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# disk NAME SECTORS REMOVABLE MAJOR:MINOR : a whole disk with one partition NAME1.
disk() {
    local name=$1 sectors=$2 removable=$3 dev=$4
    mkdir -p "$T/sys/block/$name/${name}1" "$T/sys/class/block" "$T/sys/block/$name/holders" "$T/dev"
    echo "$sectors" >"$T/sys/block/$name/size"
    echo "$removable" >"$T/sys/block/$name/removable"
    echo "$dev" >"$T/sys/block/$name/dev"
    echo 1 >"$T/sys/block/$name/${name}1/partition"
    echo "${dev%:*}:$((${dev#*:} + 1))" >"$T/sys/block/$name/${name}1/dev"
    ln -sfn "../../block/$name" "$T/sys/class/block/$name"
    ln -sfn "../../block/$name/${name}1" "$T/sys/class/block/${name}1"
    # The stand-in: 8 MiB of a known pattern.
    { yes "old contents of $name" || true; } | head -c $((8 << 20)) >"$T/dev/$name"
    cp "$T/dev/$name" "$T/dev/${name}1"
}

reset_proc() {
    mkdir -p "$T/proc/self"
    printf '/dev/nvme0n1p2 / ext4 rw 0 0\n' >"$T/proc/mounts"
    printf '22 1 259:2 / / rw - ext4 /dev/nvme0n1p2 rw\n' >"$T/proc/self/mountinfo"
    printf 'Filename Type Size Used Priority\n' >"$T/proc/swaps"
}

flash() {
    FLUID_FLASH_SYSFS="$T/sys" FLUID_FLASH_PROC="$T/proc" "$FLASH" --image "$T/fluid.img" "$@"
}

# refuses "WHAT" "EXPECTED MESSAGE" TARGET [STDIN] -- ARGS...
refuses() {
    local what=$1 message=$2 target=$3 input=$4 before out rc=0
    shift 5
    checks=$((checks + 1))
    before=$(sha256sum <"$target")
    out=$(printf '%s\n' "$input" | flash "$@" 2>&1) || rc=$?
    if ((rc == 0)); then
        fail "$what: accepted (exit 0):"$'\n'"$out"
    elif [[ "$out" != *"$message"* ]]; then
        fail "$what: message does not say '$message':"$'\n'"$out"
    elif [[ "$(sha256sum <"$target")" != "$before" ]]; then
        fail "$what: the target was modified"
    else
        echo "ok: refused $what: $(grep -m1 'error:' <<<"$out")"
    fi
}

# accepts "WHAT" TARGET [STDIN] -- ARGS...
accepts() {
    local what=$1 target=$2 input=$3 out rc=0 size
    shift 4
    checks=$((checks + 1))
    out=$(printf '%s\n' "$input" | flash "$@" 2>&1) || rc=$?
    size=$(stat -c %s "$T/fluid.img")
    if ((rc != 0)); then
        fail "$what: exit $rc:"$'\n'"$out"
    elif ! cmp -s -n "$size" "$target" "$T/fluid.img"; then
        fail "$what: the target does not hold the image"
    elif [[ "$out" != *"reads back the same"* ]]; then
        fail "$what: no verification reported:"$'\n'"$out"
    else
        echo "ok: $what: the target holds the image, verified"
    fi
}

head -c $((3 << 20)) /dev/urandom >"$T/fluid.img"
disk sdz 16384 1 8:32   # 8 MiB removable stick
disk sda 16384 0 8:0    # internal disk
disk sdy 4096 1 8:48    # 2 MiB stick: too small
disk sdx 0 1 8:64       # card reader without a card
reset_proc

# Outside a test (no FLUID_FLASH_SYSFS) a regular file is not a device.
checks=$((checks + 1))
before=$(sha256sum <"$T/dev/sdz")
if out=$("$FLASH" --image "$T/fluid.img" --yes "$T/dev/sdz" 2>&1); then
    fail "a regular file was accepted as a device:"$'\n'"$out"
elif [[ "$out" != *"is not a block device"* || "$(sha256sum <"$T/dev/sdz")" != "$before" ]]; then
    fail "a regular file: wrong message or target modified:"$'\n'"$out"
else
    echo "ok: refused a regular file outside the fake sysfs: $out"
fi
refuses "a missing device" "does not exist" "$T/dev/sdz" "" -- --yes "$T/dev/sdq"
refuses "a non-removable disk" "is not a removable disk" "$T/dev/sda" "" -- --yes "$T/dev/sda"
refuses "a partition" "is a partition, not a whole disk" "$T/dev/sdz1" "" -- --yes "$T/dev/sdz1"
refuses "a too-small disk" "is too small: 2 MiB, the image is 3 MiB" "$T/dev/sdy" "" -- --yes "$T/dev/sdy"
refuses "an empty card reader" "has no medium" "$T/dev/sdx" "" -- --yes "$T/dev/sdx"

printf '/dev/sdz1 /media/stick vfat rw 0 0\n' >>"$T/proc/mounts"
refuses "a disk with a mounted partition" "is mounted: /dev/sdz1 on /media/stick" "$T/dev/sdz" "" -- --yes "$T/dev/sdz"
reset_proc
printf '40 22 8:33 / /run/media/x rw - vfat /dev/disk/by-label/STICK rw\n' >>"$T/proc/self/mountinfo"
refuses "a disk mounted under another name (mountinfo major:minor)" "is mounted: device 8:33 on /run/media/x" \
    "$T/dev/sdz" "" -- --yes "$T/dev/sdz"
reset_proc
printf '/dev/sdz1 partition 1024 0 -2\n' >>"$T/proc/swaps"
refuses "a disk used as swap" "in use as swap: /dev/sdz1" "$T/dev/sdz" "" -- --yes "$T/dev/sdz"
reset_proc
touch "$T/sys/block/sdz/holders/dm-0"
refuses "a disk held by device mapper" "held by another device" "$T/dev/sdz" "" -- --yes "$T/dev/sdz"
rm "$T/sys/block/sdz/holders/dm-0"

refuses "a wrong confirmation" "not confirmed ('sda' is not 'sdz'); nothing was written" "$T/dev/sdz" "sda" -- "$T/dev/sdz"
refuses "an empty confirmation" "not confirmed" "$T/dev/sdz" "" -- "$T/dev/sdz"

accepts "typed confirmation" "$T/dev/sdz" "sdz" -- "$T/dev/sdz"
disk sdz 16384 1 8:32
accepts "--yes" "$T/dev/sdz" "" -- --yes "$T/dev/sdz"
# The stand-in keeps its size: dd must not truncate a device.
[[ $(stat -c %s "$T/dev/sdz") == $((8 << 20)) ]] || fail "the target was truncated"

echo "$checks checks, $failures failed"
((failures == 0))
