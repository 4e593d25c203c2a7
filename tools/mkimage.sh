#!/bin/bash
# tools/mkimage.sh -- build Fluid's bootable raw disk image, without root or loop devices.
#
# Layout (one image boots under BIOS and under UEFI):
#   LBA 0         MBR: GRUB boot.img code (first 440 bytes), one partition entry
#   LBA 1..2047   GRUB i386-pc core.img (must fit in this gap, i.e. < 1 MiB)
#   LBA 2048..end partition 1, type 0x0E (FAT16 LBA), active, formatted FAT16:
#                   /boot/kernel.elf
#                   /boot/grub/grub.cfg     (generated from tools/grub/grub.cfg.in)
#                   /EFI/BOOT/BOOTX64.EFI   (GRUB x86_64-efi, tools/grub/early.cfg embedded)
#                   /modules/*.bc           (LLVM bitcode modules; a module2 line each)
#                   /modules/ALLOWED        (optional SHA-256 manifest of the modules, docs/MODULES.md)
#                   /models/*.gguf          (model weights)
#
# The last line of output is the image path.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly SCRIPT_DIR
readonly GRUB_TEMPLATES="$SCRIPT_DIR/grub"
readonly PART_START_LBA=2048              # 1 MiB
readonly DEFAULT_SIZE_MIB=256
readonly MIN_SIZE_MIB=16
readonly MAX_SIZE_MIB=2048               # FAT16 with 32 KiB clusters holds just under 2 GiB
readonly GRUB_PC_DIR=/usr/lib/grub/i386-pc
readonly GRUB_EFI_DIR=/usr/lib/grub/x86_64-efi
# Modules shared by both GRUBs; each platform adds its own disk and video drivers.
readonly GRUB_COMMON_MODULES="part_msdos part_gpt fat multiboot2 normal configfile serial terminal
    echo test search search_fs_file ls cat sleep halt reboot video video_fb"
readonly GRUB_PC_MODULES="biosdisk vbe vga video_bochs video_cirrus"
readonly GRUB_EFI_MODULES="efi_gop efi_uga"

export PATH="$PATH:/usr/sbin:/sbin"
export MTOOLS_SKIP_CHECK=1 MTOOLS_NO_VFAT=0

usage() {
    cat <<EOF
Usage: tools/mkimage.sh --kernel ELF --out IMG [--size MIB] [--add FILE]... [--cmdline STR] [--verify]
       tools/mkimage.sh --update --out IMG [--add FILE]... [--cmdline STR] [--verify]
       tools/mkimage.sh --check IMG

Builds a raw disk image (MBR + GRUB for BIOS, GRUB EFI, FAT16 partition at 1 MiB).

  --kernel ELF     the Multiboot2 kernel, copied to /boot/kernel.elf
  --out IMG        image to write (default: build/fluid.img); built in a temp file
                   next to it and renamed, so a reader never sees half an image
  --size MIB       image size in MiB (default $DEFAULT_SIZE_MIB, min $MIN_SIZE_MIB, max $MAX_SIZE_MIB)
  --add FILE       add FILE: *.bc and ALLOWED go to /modules/, *.gguf to /models/ (repeatable)
  --cmdline STR    kernel command line (words separated by spaces)
  --update         add files to the existing IMG in place and regenerate grub.cfg
                   (with --cmdline: also replace the kernel command line)
  --verify         after writing, run --check on the result
  --check IMG      fsck.fat -n the partition and list its files; exits non-zero on errors
EOF
}

die() { echo "mkimage: error: $*" >&2; exit 1; }

need() {
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null || die "'$tool' not found (run ./fluid setup)"
    done
}

# put_bytes FILE OFFSET HEX... : writes the given bytes at OFFSET without truncating FILE.
put_bytes() {
    local file=$1 offset=$2 escaped="" b
    shift 2
    for b in "$@"; do escaped+="\\x$b"; done
    printf '%b' "$escaped" | dd of="$file" bs=1 seek="$offset" conv=notrunc status=none
}

# le32 N : N as four little-endian hex bytes.
le32() { printf '%02x %02x %02x %02x' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)); }

# chs LBA : the 3-byte CHS form of LBA for a 255-head, 63-sector geometry,
# clamped to 1023/254/63 (LBA-aware firmware ignores it beyond that).
chs() {
    local lba=$1 c h s
    c=$((lba / (255 * 63))); h=$((lba / 63 % 255)); s=$((lba % 63 + 1))
    if ((c > 1023)); then c=1023; h=254; s=63; fi
    printf '%02x %02x %02x' "$h" $(((s & 63) | (c >> 8 & 3) << 6)) $((c & 255))
}

# destination_dir FILE : where an --add FILE goes in the partition.
destination_dir() {
    case "$1" in
        */modules/llm/*.bc) echo /modules/llm ;; # the LLM kernels: not loaded at boot (docs/LLM.md)
        *.bc) echo /modules ;;
        ALLOWED | */ALLOWED) echo /modules ;; # the module manifest (docs/MODULES.md)
        *.gguf) echo /models ;;
        *) die "--add $1: only .bc (modules), ALLOWED (their manifest) and .gguf (models) files belong on the image" ;;
    esac
}

# grub_quote WORD : WORD in GRUB single quotes.
grub_quote() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

# write_grub_cfg IMG_SPEC CMDLINE : generates grub.cfg (module2 line per /modules/*.bc
# and per /models/*.gguf present in the partition) and copies it to /boot/grub/grub.cfg.
# GRUB cannot know whether the kernel will have a driver for the boot device (a USB
# stick: no), so it always loads them; the kernel uses these read-only copies only
# when it finds no boot volume (docs/HARDWARE.md).
write_grub_cfg() {
    local spec=$1 cmdline=$2 cfg words=() w quoted="" modules="" m
    cfg=$(mktemp)
    read -r -a words <<<"$cmdline" || true
    for w in "${words[@]}"; do quoted+="${quoted:+ }$(grub_quote "$w")"; done
    # The module manifest, when there is one, so that the kernel checks GRUB's
    # copies of the modules too (no boot volume). Tested at boot, not here, so a
    # manifest copied onto the stick by hand counts without regenerating this file.
    modules+="    if [ -f /modules/ALLOWED ]; then module2 /modules/ALLOWED ALLOWED; fi"$'\n'
    while IFS= read -r m; do
        [[ -n "$m" ]] || continue
        m=${m##*/}
        modules+="    module2 /modules/$(grub_quote "$m") $(grub_quote "$m")"$'\n'
    done < <(mdir -b -i "$spec" ::/modules 2>/dev/null | grep -i '\.bc$' | sort || true)
    while IFS= read -r m; do
        [[ -n "$m" ]] || continue
        m=${m##*/}
        modules+="    echo $(grub_quote "grub: loading /models/$m")"$'\n'
        modules+="    module2 /models/$(grub_quote "$m") $(grub_quote "$m")"$'\n'
    done < <(mdir -b -i "$spec" ::/models 2>/dev/null | grep -i '\.gguf$' | sort || true)
    local template
    template=$(<"$GRUB_TEMPLATES/grub.cfg.in")
    template=${template//@CMDLINE_RAW@/$cmdline}
    template=${template//@CMDLINE@/$quoted}
    template=${template//@MODULES@/$modules}
    printf '%s\n' "$template" >"$cfg"
    mcopy -o -i "$spec" "$cfg" ::/boot/grub/grub.cfg
    rm -f "$cfg"
}

# add_files IMG_SPEC FILE... : copies each FILE to its directory in the partition.
add_files() {
    local spec=$1 f dir
    shift
    for f in "$@"; do
        dir=$(destination_dir "$f")
        mmd -i "$spec" "::$dir" 2>/dev/null || true # /modules/llm, or on --update of an older image
        mcopy -o -i "$spec" "$f" "::$dir/$(basename "$f")"
        echo "mkimage: added $dir/$(basename "$f")"
    done
}

check_image() {
    local img=$1 part rc=0
    need fsck.fat mdir
    [[ -f "$img" ]] || die "$img: no such image"
    [[ "$(dd if="$img" bs=1 skip=510 count=2 status=none | od -An -tx1 | tr -d ' \n')" == 55aa ]] ||
        die "$img: no MBR boot signature"
    part=$(mktemp)
    dd if="$img" of="$part" bs=1M skip=1 conv=sparse status=none
    fsck.fat -n "$part" || rc=$?
    rm -f "$part"
    mdir -/ -i "$img@@1M" :: || rc=1
    ((rc == 0)) || die "$img: partition check failed"
    echo "mkimage: $img: FAT16 partition is clean"
}

kernel="" out="" size=$DEFAULT_SIZE_MIB cmdline="" cmdline_set=0 update=0 verify=0 check=""
adds=()
while (($#)); do
    case "$1" in
        --kernel) kernel=${2:?--kernel needs a path}; shift 2 ;;
        --out) out=${2:?--out needs a path}; shift 2 ;;
        --size) size=${2:?--size needs MiB}; shift 2 ;;
        --add) adds+=("${2:?--add needs a file}"); shift 2 ;;
        --cmdline) cmdline=${2?--cmdline needs a string}; cmdline_set=1; shift 2 ;;
        --update) update=1; shift ;;
        --verify) verify=1; shift ;;
        --check) check=${2:?--check needs an image}; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown option '$1'" ;;
    esac
done

if [[ -n "$check" ]]; then
    check_image "$check"
    echo "$check"
    exit 0
fi

need mcopy mmd mdir mtype
out=${out:-build/fluid.img}
for f in "${adds[@]}"; do
    [[ -f "$f" ]] || die "--add $f: no such file"
    destination_dir "$f" >/dev/null
done

if ((update)); then
    [[ -f "$out" ]] || die "--update: $out does not exist; build it first"
    ((${#adds[@]} || cmdline_set)) || die "--update needs at least one --add FILE or a --cmdline"
    spec="$out@@1M"
    if ((${#adds[@]})); then add_files "$spec" "${adds[@]}"; fi
    # Keep the command line the image was built with (recorded in grub.cfg)
    # unless --cmdline replaces it.
    ((cmdline_set)) ||
        cmdline=$(mtype -i "$spec" ::/boot/grub/grub.cfg | sed -n 's/^# fluid-cmdline: //p' | head -n1 | tr -d '\r')
    write_grub_cfg "$spec" "$cmdline"
    ((verify)) && check_image "$out"
    echo "$out"
    exit 0
fi

need grub-mkimage mkfs.fat
[[ -n "$kernel" ]] || { usage >&2; die "--kernel is required"; }
[[ -f "$kernel" ]] || die "--kernel $kernel: no such file"
[[ "$size" =~ ^[0-9]+$ ]] || die "--size must be a whole number of MiB"
((size >= MIN_SIZE_MIB && size <= MAX_SIZE_MIB)) ||
    die "--size $size: must be between $MIN_SIZE_MIB and $MAX_SIZE_MIB MiB (FAT16 holds at most 2 GiB)"
[[ -f "$GRUB_PC_DIR/boot.img" ]] || die "$GRUB_PC_DIR/boot.img missing (package grub-pc-bin)"
[[ -d "$GRUB_EFI_DIR" ]] || die "$GRUB_EFI_DIR missing (package grub-efi-amd64-bin)"

# Will the files fit? (Counted generously: each file rounded up to 32 KiB,
# plus 2 MiB for FATs, directories and the GRUB EFI image.)
need_kib=2048
for f in "$kernel" "${adds[@]}"; do
    need_kib=$((need_kib + (($(stat -L -c %s "$f") + 32767) / 32768) * 32))
done
part_sectors=$((size * 2048 - PART_START_LBA))
((need_kib <= part_sectors / 2)) ||
    die "--size $size MiB is too small for the files (about $((need_kib / 1024 + 2)) MiB needed)"

mkdir -p "$(dirname "$out")"
work=$(mktemp -d "${TMPDIR:-/tmp}/fluid-mkimage.XXXXXX")
tmp_img=$(mktemp "$(dirname "$out")/.$(basename "$out").XXXXXX")
trap 'rm -rf "$work" "$tmp_img"' EXIT

# 1. GRUB images. The embedded config is read by GRUB's minimal early parser,
# which does not know comments ("Unknown command `#'"), so strip them.
grep -v '^[[:space:]]*#' "$GRUB_TEMPLATES/early.cfg" >"$work/early.cfg"
# shellcheck disable=SC2086  # module lists are word lists
grub-mkimage -O i386-pc -d "$GRUB_PC_DIR" -o "$work/core.img" -p '(hd0,msdos1)/boot/grub' \
    -c "$work/early.cfg" $GRUB_COMMON_MODULES $GRUB_PC_MODULES
# shellcheck disable=SC2086
grub-mkimage -O x86_64-efi -d "$GRUB_EFI_DIR" -o "$work/BOOTX64.EFI" -p /boot/grub \
    -c "$work/early.cfg" $GRUB_COMMON_MODULES $GRUB_EFI_MODULES
core_sectors=$((($(stat -L -c %s "$work/core.img") + 511) / 512))
((core_sectors < PART_START_LBA - 1)) ||
    die "core.img is $core_sectors sectors; it must fit before LBA $PART_START_LBA"

# 2. A sparse file of the requested size, the FAT16 partition inside it.
truncate -s "${size}M" "$tmp_img"
# -h: hidden sectors = the partition's start LBA (the BPB must say where it starts).
# mkfs.fat picks the cluster size for the partition size (up to 32 KiB at 2 GiB).
mkfs.fat -F 16 -n FLUID -i 464c5544 -h "$PART_START_LBA" --offset "$PART_START_LBA" \
    "$tmp_img" $((part_sectors / 2)) >/dev/null

# 3. MBR: boot.img code, then the partition table.
dd if="$GRUB_PC_DIR/boot.img" of="$tmp_img" bs=440 count=1 conv=notrunc status=none
put_bytes "$tmp_img" $((0x5C)) 01 00 00 00 00 00 00 00  # kernel_sector: core.img is at LBA 1
put_bytes "$tmp_img" $((0x66)) 90 90                   # as grub-bios-setup does for hard disks:
                                                       # trust DL only if it is a hard disk number
put_bytes "$tmp_img" 440 46 4c 55 44 00 00             # disk signature "FLUD", reserved
# shellcheck disable=SC2046
put_bytes "$tmp_img" 446 80 $(chs $PART_START_LBA) 0e $(chs $((PART_START_LBA + part_sectors - 1))) \
    $(le32 $PART_START_LBA) $(le32 $part_sectors)
put_bytes "$tmp_img" 510 55 aa
# core.img's first sector (diskboot.img) already lists the sectors after it, assuming LBA 1.
dd if="$work/core.img" of="$tmp_img" bs=512 seek=1 conv=notrunc status=none

# 4. Files.
spec="$tmp_img@@1M"
mmd -i "$spec" ::/boot ::/boot/grub ::/EFI ::/EFI/BOOT ::/modules ::/models
mcopy -i "$spec" "$kernel" ::/boot/kernel.elf
mcopy -i "$spec" "$work/BOOTX64.EFI" ::/EFI/BOOT/BOOTX64.EFI
((${#adds[@]})) && add_files "$spec" "${adds[@]}"
write_grub_cfg "$spec" "$cmdline"

mv -f "$tmp_img" "$out"
((verify)) && check_image "$out"
echo "mkimage: $out: ${size} MiB, core.img $core_sectors sectors, kernel $(stat -L -c %s "$kernel") bytes"
echo "$out"
