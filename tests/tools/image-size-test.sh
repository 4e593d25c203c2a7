#!/bin/bash
# tests/tools/image-size-test.sh -- `./fluid image --size` at the FAT16 maximum:
# a 2048 MiB image is made, passes fsck.fat (mkimage --verify) and holds a
# partition of about 2047 MiB; 2049 MiB is refused with a message naming
# the limit.
set -euo pipefail
MKIMAGE=${1:?usage: image-size-test.sh mkimage.sh kernel.elf scratch-dir}
KERNEL=${2:?kernel}
SCRATCH=${3:?scratch dir}
img="$SCRATCH/fluid-2048.img"
trap 'rm -f "$img"' EXIT

"$MKIMAGE" --kernel "$KERNEL" --out "$img" --size 2048 --verify >"$SCRATCH/image-2048.log" 2>&1 ||
    { cat "$SCRATCH/image-2048.log"; echo "FAIL: a 2048 MiB image could not be made"; exit 1; }
size=$(stat -c %s "$img")
[[ "$size" == $((2048 << 20)) ]] || { echo "FAIL: image is $size bytes"; exit 1; }
grep -q "FAT16 partition is clean" "$SCRATCH/image-2048.log" || { cat "$SCRATCH/image-2048.log"; echo "FAIL: no clean fsck"; exit 1; }
# The partition's sector count (MBR entry 1, offset 0x1ca, little-endian).
sectors=$(od -An -tu4 -j $((0x1ca)) -N4 "$img" | tr -d ' ')
((sectors > (2040 << 11))) || { echo "FAIL: partition has $sectors sectors"; exit 1; }
echo "ok: 2048 MiB image, partition of $((sectors >> 11)) MiB, fsck clean"

if out=$("$MKIMAGE" --kernel "$KERNEL" --out "$SCRATCH/fluid-2049.img" --size 2049 2>&1); then
    echo "FAIL: 2049 MiB was accepted"; rm -f "$SCRATCH/fluid-2049.img"; exit 1
fi
[[ "$out" == *"between 16 and 2048 MiB"* ]] || { echo "FAIL: 2049 MiB refused without naming the limit: $out"; exit 1; }
echo "ok: 2049 MiB refused: $out"
echo "image size checks passed"
