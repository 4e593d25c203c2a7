#!/bin/bash
# allowed-image.sh BASE_IMG EXTRA_MODULES_DIR WORK_DIR
#
# Two copies of BASE_IMG for AllowListTest.cpp (the /modules/ALLOWED manifest,
# docs/MODULES.md), each made the way a user would:
#
#   WORK_DIR/allowed.img    /modules/ALLOWED = `sha256sum *.bc` of the image's
#                           own modules, except that bench_sum.bc's hash is
#                           wrong; then answer.bc added (not listed) and
#                           wide.bc replaced by other bytes (listed, wrong hash).
#   WORK_DIR/malformed.img  the same manifest with a bad line 3, booted with
#                           storage=none so the kernel reads GRUB's copies.
#
# Also writes WORK_DIR/answer.sha256 (sha256sum's line for answer.bc), the
# oracle the test compares the kernel's message with.
set -euo pipefail

base=$1 extra=$2 work=$3
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export MTOOLS_SKIP_CHECK=1
part="@@1048576" # the FAT16 partition starts at 1 MiB (tools/mkimage.sh)

rm -rf "$work"
mkdir -p "$work/modules" "$work/good" "$work/bad"
mcopy -n -i "$base$part" "::/modules/*.bc" "$work/modules/"
(cd "$work/modules" && sha256sum *.bc) >"$work/listed"
[[ -s "$work/listed" ]] || { echo "allowed-image: no modules on $base" >&2; exit 1; }

cp "$extra/answer.bc" "$work/good/answer.bc"
cp "$extra/answer.bc" "$work/good/wide.bc" # a listed name with other bytes
(cd "$work/good" && sha256sum answer.bc) >"$work/answer.sha256"
# bench_sum.bc stays as it is, but the manifest gives it the hash of other bytes:
# refused, so `bench sum` must not compile its bytes either.
other=$(printf 'not bench_sum.bc' | sha256sum | cut -d' ' -f1)
{
    echo "# the modules this machine may load (sha256sum *.bc > ALLOWED)"
    sed "s/^[0-9a-f]\{64\}  bench_sum\.bc\$/$other  bench_sum.bc/" "$work/listed"
} >"$work/good/ALLOWED"
grep -q "^$other  bench_sum.bc\$" "$work/good/ALLOWED" || { echo "allowed-image: no bench_sum.bc on $base" >&2; exit 1; }

# Line 3: a hash seven hex digits long.
{ echo "# broken on purpose"; echo; echo "0123abc  fib.bc"; cat "$work/listed"; } >"$work/bad/ALLOWED"

cp --sparse=always "$base" "$work/allowed.img"
"$root/tools/mkimage.sh" --update --out "$work/allowed.img" \
    --add "$work/good/ALLOWED" --add "$work/good/answer.bc" --add "$work/good/wide.bc"
cp --sparse=always "$base" "$work/malformed.img"
"$root/tools/mkimage.sh" --update --out "$work/malformed.img" --cmdline storage=none --add "$work/bad/ALLOWED"
