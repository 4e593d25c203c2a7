// The machine's disks and the FAT16 volume the kernel booted from.
//
// At boot the four legacy ATA positions are probed, then every AHCI (SATA)
// controller on the PCI bus; each disk's MBR is read and its first FAT16
// partition mounted. The volume that holds /boot/kernel.elf is the boot
// volume, which the shell's ls/cat/df and the module store use. The kernel
// command line option `storage=none` skips all of this (the JIT then runs
// the module copies GRUB loaded).
#pragma once

#include "kernel/drivers/AhciController.h"
#include "kernel/drivers/DiskDevice.h"
#include "kernel/drivers/Mmio.h"
#include "kernel/fs/Fat16Volume.h"
#include "kernel/fs/PartitionBlockDevice.h"
#include "kernel/lib/ErrorOr.h"

#include <memory>
#include <vector>

namespace fluid {

class Storage {
public:
    struct Disk {
        char name[8];                 // "ata0".."ata3", "sata0", ...
        std::unique_ptr<DiskDevice> device;
        std::unique_ptr<PartitionBlockDevice> partition; // first FAT16 partition, if any
        std::unique_ptr<Fat16Volume> volume;             // mounted on it
        char problem[Error::max_message];                // why no volume, if none
    };

    // Probes the disks and mounts what it can; reports each on the console.
    static void init();
    static Storage& get();

    const std::vector<std::unique_ptr<Disk>>& disks() const { return m_disks; }
    // The volume with /boot/kernel.elf, or null.
    Fat16Volume* boot_volume() { return m_boot_volume; }

private:
    void probe_ata();
    void probe_ahci();
    // Takes an identified disk: mounts its volume and reports it.
    void add(const char* name, std::unique_ptr<DiskDevice>);
    void mount(Disk&);

    // AHCI controllers and their register windows live as long as the
    // disks on them.
    std::vector<std::unique_ptr<Mmio>> m_mmio;
    std::vector<std::unique_ptr<AhciController>> m_controllers;

    std::vector<std::unique_ptr<Disk>> m_disks;
    Fat16Volume* m_boot_volume { nullptr };
};

} // namespace fluid
