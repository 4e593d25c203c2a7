#!/bin/bash
# tools/flash.sh -- write a Fluid disk image to a USB stick, after refusing
# anything that could be the wrong disk. `./fluid flash` calls it.
#
# Refuses, before writing a byte:
#   * a device that is not a whole disk (a partition, or no /sys/block/NAME);
#   * a disk that is not removable (/sys/block/NAME/removable is not 1) and
#     not on a USB bus (USB SSDs often report removable=0);
#   * a disk any of whose partitions (or itself) is mounted (/proc/mounts and
#     /proc/self/mountinfo, by name and by major:minor), used as swap
#     (/proc/swaps), or held by another driver (device mapper, RAID: holders/);
#   * a disk smaller than the image.
# Then asks for the device name to be typed back (--yes skips that), writes
# with dd conv=fsync status=progress and reads the whole image back to compare.
#
# For tests, without root or real disks (tests/tools/flash-test.sh):
#   FLUID_FLASH_SYSFS   instead of /sys  (block/NAME/{removable,size,dev,NAME1/...})
#   FLUID_FLASH_PROC    instead of /proc (mounts, self/mountinfo, swaps)
# When FLUID_FLASH_SYSFS is set, a regular file may stand in for the device.
set -euo pipefail

readonly SYSFS=${FLUID_FLASH_SYSFS:-/sys}
readonly PROCFS=${FLUID_FLASH_PROC:-/proc}

usage() {
    cat <<'EOF'
Usage: ./fluid flash [--image IMG] [--yes] DEVICE      (e.g. /dev/sdb)

Writes the Fluid image (default build/fluid.img) to DEVICE, a whole removable
disk such as a USB stick, erasing everything on it. Refuses partitions,
non-removable disks, mounted disks and disks smaller than the image. Asks you
to type the device name back unless --yes. Verifies by reading it back.
Writing a device needs root: run as root, or dd is run through sudo.
EOF
}

die() { echo "flash: error: $*" >&2; exit 1; }
say() { echo "flash: $*"; }

image="" yes=0 device=""
while (($#)); do
    case "$1" in
        --image) image=${2:?--image needs a path}; shift 2 ;;
        --yes) yes=1; shift ;;
        -h|--help) usage; exit 0 ;;
        -*) usage >&2; die "unknown option '$1'" ;;
        *) [[ -z "$device" ]] || die "one device at a time ('$device' and '$1')"; device=$1; shift ;;
    esac
done
[[ -n "$device" ]] || { usage >&2; die "which device? (e.g. /dev/sdb; lsblk lists them)"; }
[[ -n "$image" ]] || die "no image given (--image IMG)"
[[ -f "$image" ]] || die "image '$image' not found (build it with ./fluid image)"

# --- what the device is -------------------------------------------------------
if [[ -b "$device" ]]; then
    :
elif [[ -n "${FLUID_FLASH_SYSFS:-}" && -f "$device" ]]; then
    : # a test's stand-in
elif [[ -e "$device" ]]; then
    die "$device is not a block device"
else
    die "$device does not exist"
fi
# /dev/disk/by-id/usb-... links resolve to the kernel's name.
[[ -b "$device" ]] && device=$(readlink -f "$device")
name=$(basename "$device")
[[ "$name" =~ ^[A-Za-z0-9._-]+$ ]] || die "$device: unexpected device name '$name'"

if [[ -e "$SYSFS/class/block/$name/partition" ]]; then
    disk=$(basename "$(dirname "$(readlink -f "$SYSFS/class/block/$name")")")
    die "$device is a partition, not a whole disk (write the disk it is on, /dev/$disk, after checking it is the stick)"
fi
sys="$SYSFS/block/$name"
[[ -d "$sys" ]] || die "$device is not a whole disk ($sys does not exist)"

removable=$(cat "$sys/removable" 2>/dev/null || echo "?")
if [[ "$removable" != 1 ]]; then
    # USB SSDs and some sticks say removable=0; their sysfs path runs through a USB bus.
    if [[ "$(readlink -f "$sys")" == */usb[0-9]* ]]; then
        say "$name reports removable=$removable but is on a USB bus; accepting it"
    else
        die "$device is not a removable disk ($sys/removable is $removable): refusing to overwrite an internal disk"
    fi
fi

# The disk and its partitions: names and major:minor numbers.
names=("$name") numbers=()
[[ -r "$sys/dev" ]] && numbers+=("$(cat "$sys/dev")")
for part in "$sys"/"$name"*; do
    [[ -d "$part" ]] || continue
    names+=("$(basename "$part")")
    [[ -r "$part/dev" ]] && numbers+=("$(cat "$part/dev")")
done

# --- in use? ------------------------------------------------------------------
for n in "${names[@]}"; do
    if [[ -r "$PROCFS/mounts" ]] && awk -v dev="/dev/$n" '$1 == dev { found = 1 } END { exit !found }' "$PROCFS/mounts"; then
        where=$(awk -v dev="/dev/$n" '$1 == dev { print $2; exit }' "$PROCFS/mounts")
        die "$device is mounted: /dev/$n on $where (unmount it first: umount /dev/$n)"
    fi
    if [[ -r "$PROCFS/swaps" ]] && awk -v dev="/dev/$n" '$1 == dev { found = 1 } END { exit !found }' "$PROCFS/swaps"; then
        die "$device is in use as swap: /dev/$n (swapoff /dev/$n first)"
    fi
    if compgen -G "$SYSFS/class/block/$n/holders/*" >/dev/null || compgen -G "$sys/$n/holders/*" >/dev/null ||
        { [[ "$n" == "$name" ]] && compgen -G "$sys/holders/*" >/dev/null; }; then
        die "$device is in use: /dev/$n is held by another device (device mapper, RAID or LVM)"
    fi
done
# mountinfo names the device by major:minor (field 3), whatever path was used to mount it.
if [[ -r "$PROCFS/self/mountinfo" ]]; then
    for number in "${numbers[@]}"; do
        where=$(awk -v mm="$number" '$3 == mm { print $5; exit }' "$PROCFS/self/mountinfo")
        [[ -z "$where" ]] || die "$device is mounted: device $number on $where (unmount it first)"
    done
fi

# --- big enough? ----------------------------------------------------------------
image_bytes=$(stat -c %s "$image")
sectors=$(cat "$sys/size" 2>/dev/null || echo "")
[[ "$sectors" =~ ^[0-9]+$ ]] || die "$device: cannot read its size from $sys/size"
device_bytes=$((sectors * 512))
((device_bytes > 0)) || die "$device has no medium (size 0): is the card in the reader?"
((device_bytes >= image_bytes)) ||
    die "$device is too small: $((device_bytes / 1048576)) MiB, the image is $((image_bytes / 1048576)) MiB"

model=$(cat "$sys/device/model" 2>/dev/null | tr -s ' ' || true)
vendor=$(cat "$sys/device/vendor" 2>/dev/null | tr -s ' ' || true)
say "target: $device${vendor:+, $vendor}${model:+ $model}, $((device_bytes / 1048576)) MiB, removable"
say "image:  $image, $((image_bytes / 1048576)) MiB"

# --- confirmation ---------------------------------------------------------------
if ((!yes)); then
    printf 'flash: everything on %s will be erased. Type its name (%s) to go on: ' "$device" "$name"
    answer=""
    read -r answer || true
    [[ "$answer" == "$name" ]] || die "not confirmed ('$answer' is not '$name'); nothing was written"
fi

# --- write and verify -----------------------------------------------------------
sudo=()
if [[ ! -w "$device" ]] && ((EUID != 0)); then
    command -v sudo >/dev/null || die "$device is not writable; run as root"
    sudo=(sudo)
fi
say "writing..."
"${sudo[@]}" dd if="$image" of="$device" bs=4M conv=fsync,notrunc status=progress
say "verifying (reading $((image_bytes / 1048576)) MiB back)..."
read_back=(dd if="$device" bs=1M iflag=count_bytes count="$image_bytes" status=none)
# Past the page cache on a real disk, so the comparison sees the medium.
[[ -b "$device" ]] && read_back=(dd if="$device" bs=1M iflag=direct,count_bytes count="$image_bytes" status=none)
if ! "${sudo[@]}" "${read_back[@]}" | cmp -s - "$image"; then
    die "verification failed: $device does not read back as the image (a failing stick?)"
fi
sync
say "done: $device holds $(basename "$image") and reads back the same; it boots in UEFI and legacy BIOS mode"
