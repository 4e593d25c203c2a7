// The machine's disks and the FAT16 volume the kernel booted from.
//
// At boot the four legacy ATA positions are probed; each disk's MBR is read
// and its first FAT16 partition mounted. The volume that holds
// /boot/kernel.elf is the boot volume, which the shell's ls/cat/df use.
// (AHCI and the module store on top of this arrive with the rest of the
// storage work.)
#pragma once

#include "kernel/drivers/AtaPioDisk.h"
#include "kernel/fs/Fat16Volume.h"
#include "kernel/fs/PartitionBlockDevice.h"
#include "kernel/lib/ErrorOr.h"

#include <memory>
#include <vector>

namespace fluid {

class Storage {
public:
    struct Disk {
        char name[8];                 // "ata0".."ata3"
        std::unique_ptr<AtaPioDisk> device;
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
    void probe(const char* name, AtaPioDisk::Channel, bool slave);
    void mount(Disk&);

    std::vector<std::unique_ptr<Disk>> m_disks;
    Fat16Volume* m_boot_volume { nullptr };
};

} // namespace fluid
