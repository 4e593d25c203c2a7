#!/bin/bash
# QEMU option values are comma-separated by design.
# shellcheck disable=SC2054
# qemu/fluid-qemu.sh -- the one place Fluid's QEMU command line is built.
#
# Boots a Fluid disk image (tools/mkimage.sh) through GRUB, under SeaBIOS (default)
# or OVMF (--uefi), and execs QEMU, so QEMU's exit status is this script's:
#     0  the guest powered off (ACPI S5), or reset (-no-reboot turns a reset into an exit)
#     3  the kernel panicked (it writes 1 to isa-debug-exit at port 0xf4: status = 1<<1 | 1)
#     other  QEMU's own errors, or other isa-debug-exit values (status = value<<1 | 1)
#
# Serial console (COM1) with --serial stdio (the default):
#   * stdin is a terminal: the console is multiplexed with the QEMU monitor.
#     Ctrl-C goes to the guest; Ctrl-A x quits QEMU, Ctrl-A c toggles the monitor,
#     Ctrl-A h lists the keys.
#   * stdin is not a terminal (scripts, tests): stdin and stdout carry the raw byte
#     stream of COM1, with no escape character, so every byte reaches the guest.
#     QEMU's own messages go to stderr.
# With --serial unix:PATH QEMU listens on the socket PATH and waits for a client to
# connect before it starts the guest, so the client sees the whole boot.
set -euo pipefail

readonly OVMF_CODE=/usr/share/OVMF/OVMF_CODE_4M.fd
readonly OVMF_VARS=/usr/share/OVMF/OVMF_VARS_4M.fd
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly REPO_ROOT

usage() {
    cat <<EOF
Usage: qemu/fluid-qemu.sh [--image IMG] [--uefi] [--smp N] [--mem MIB] [--serial stdio|unix:PATH]
                          [--snapshot] [--disk ide|ahci|usb] [--machine pc|q35] [--no-pit] [--no-hpet]
                          [--display] [--monitor unix:PATH]
                          [--accel auto|tcg|kvm] [--verbose]

  --image IMG      raw disk image (default: $REPO_ROOT/build/fluid.img)
  --uefi           boot with OVMF (UEFI) instead of SeaBIOS; the UEFI variable store is
                   a per-run copy-on-write overlay of $OVMF_VARS
  --smp N          number of CPUs (default 1)
  --mem MIB        guest memory in MiB (default 1024)
  --serial S       stdio (default) or unix:PATH (QEMU listens and waits for a client)
  --snapshot       discard all writes to the disk image when QEMU exits
  --disk BUS       ide (default: the legacy ATA controller) or ahci (a SATA controller;
                   the kernel drives it with its AHCI driver, as sata0), or usb (a USB stick
                   on an xHCI controller: the firmware boots from it, the kernel has no USB
                   driver, so it runs the module copies GRUB loaded)
  --machine M      pc (default: i440FX, PIIX) or q35 (ICH9: PCIe, built-in AHCI)
  --no-pit         no 8254 PIT, as on some UEFI-only PCs (the kernel calibrates the TSC
                   against the HPET, or the ACPI PM timer with --no-hpet too)
  --no-hpet        no HPET
  --monitor S      the QEMU monitor on a socket (unix:PATH, QEMU listens), e.g. for screendump
  --display        open a window showing the screen (default: no display)
  --accel A        auto (default: KVM if /dev/kvm is usable and the CPU has VMX/SVM,
                   else multi-threaded TCG),
                   tcg or kvm
  --verbose        print the QEMU command line to stderr

Exit status: 0 = poweroff, 3 = kernel panic, anything else = QEMU error / other exit.
EOF
}

die() { echo "fluid-qemu: error: $*" >&2; exit 2; }

image="$REPO_ROOT/build/fluid.img" uefi=0 smp=1 mem=1024 serial=stdio snapshot=0 display=0 disk=ide
accel=auto verbose=0 machine=pc machine_opts="" monitor=none
while (($#)); do
    case "$1" in
        --image) image=${2:?--image needs a path}; shift 2 ;;
        --uefi) uefi=1; shift ;;
        --smp) smp=${2:?--smp needs a number}; shift 2 ;;
        --mem) mem=${2:?--mem needs MiB}; shift 2 ;;
        --serial) serial=${2:?--serial needs stdio or unix:PATH}; shift 2 ;;
        --snapshot) snapshot=1; shift ;;
        --disk) disk=${2:?--disk needs ide or ahci}; shift 2 ;;
        --machine) machine=${2:?--machine needs pc or q35}; shift 2 ;;
        --no-pit) machine_opts+=",pit=off"; shift ;;
        --no-hpet) machine_opts+=",hpet=off"; shift ;;
        --monitor) monitor=${2:?--monitor needs unix:PATH}; shift 2 ;;
        --display) display=1; shift ;;
        --accel) accel=${2:?--accel needs auto, tcg or kvm}; shift 2 ;;
        --verbose) verbose=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown option '$1'" ;;
    esac
done

[[ -f "$image" ]] || die "image '$image' not found (build it with ./fluid image)"
[[ "$smp" =~ ^[1-9][0-9]*$ ]] || die "--smp must be a positive number"
[[ "$mem" =~ ^[1-9][0-9]*$ ]] || die "--mem must be a positive number of MiB"
[[ "$machine" == pc || "$machine" == q35 ]] || die "--machine must be pc or q35"
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 not found (run ./fluid setup)"

if [[ "$accel" == auto ]]; then
    # /dev/kvm alone is not enough: some sandboxes provide the node without
    # hardware virtualisation behind it.
    if [[ -r /dev/kvm && -w /dev/kvm ]] && grep -qE '^flags.*\b(vmx|svm)\b' /proc/cpuinfo; then
        accel=kvm
    else
        accel=tcg
    fi
fi
case "$accel" in
    kvm) accel_args=(-accel kvm) ;;
    tcg) accel_args=(-accel tcg,thread=multi) ;;
    *) die "--accel must be auto, tcg or kvm" ;;
esac

case "$monitor" in
    none) monitor_arg=none ;;
    unix:?*) monitor_arg="${monitor},server=on,wait=off" ;;
    *) die "--monitor must be unix:PATH" ;;
esac

args=(
    qemu-system-x86_64
    -name fluid
    -machine "$machine$machine_opts"
    "${accel_args[@]}"
    # AVX, AVX2 and FMA (TCG offers them under -cpu max; the default qemu64 has none).
    -cpu max
    -smp "$smp"
    -m "$mem"
    -no-reboot
    -monitor "$monitor_arg"
    # The kernel exits QEMU with a status of its own choosing by writing to port 0xf4.
    -device isa-debug-exit,iobase=0xf4,iosize=0x04
)

case "$disk" in
    ide)
        drive="file=$image,format=raw,if=ide,index=0,media=disk"
        ((snapshot)) && drive+=",snapshot=on"
        args+=(-drive "$drive")
        ;;
    ahci)
        drive="file=$image,format=raw,if=none,id=disk0"
        ((snapshot)) && drive+=",snapshot=on"
        args+=(-drive "$drive" -device ahci,id=ahci0 -device ide-hd,drive=disk0,bus=ahci0.0,bootindex=0)
        ;;
    usb)
        # xHCI + usb-storage: SeaBIOS and OVMF both boot from it; the kernel has no
        # USB driver, which is the point (the GRUB-loaded copies path).
        drive="file=$image,format=raw,if=none,id=stick0"
        ((snapshot)) && drive+=",snapshot=on"
        args+=(-drive "$drive" -device qemu-xhci,id=xhci0
            -device usb-storage,bus=xhci0.0,drive=stick0,removable=on,bootindex=0)
        ;;
    *) die "--disk must be ide, ahci or usb" ;;
esac

if ((uefi)); then
    [[ -f "$OVMF_CODE" && -f "$OVMF_VARS" ]] || die "OVMF not found in /usr/share/OVMF (package ovmf)"
    # The variable store is writable flash. snapshot=on gives every run its own copy:
    # QEMU keeps the writes in an unlinked temporary overlay, so parallel runs never
    # share it, the system file is never written, and nothing is left behind even
    # when QEMU is killed.
    args+=(
        -drive "if=pflash,unit=0,format=raw,readonly=on,file=$OVMF_CODE"
        -drive "if=pflash,unit=1,format=raw,snapshot=on,file=$OVMF_VARS"
    )
fi

if ((display)); then
    args+=(-display default -vga std)
else
    args+=(-display none)
fi

case "$serial" in
    stdio)
        if [[ -t 0 ]]; then
            args+=(-chardev stdio,id=ser0,mux=on,signal=off -serial chardev:ser0 -mon chardev=ser0,mode=readline)
        else
            args+=(-chardev stdio,id=ser0,signal=off -serial chardev:ser0)
        fi
        ;;
    unix:?*)
        args+=(-chardev "socket,id=ser0,path=${serial#unix:},server=on,wait=on" -serial chardev:ser0)
        ;;
    *) die "--serial must be stdio or unix:PATH" ;;
esac

if ((verbose)); then
    printf '%q ' "${args[@]}" >&2
    echo >&2
fi
exec "${args[@]}"
