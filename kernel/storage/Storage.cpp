#include "kernel/storage/Storage.h"

#include "kernel/arch/x86_64/PortIo.h"
#include "kernel/drivers/Console.h"
#include "kernel/fs/MbrPartitionTable.h"

#include <cstdio>

namespace fluid {

Storage& Storage::get()
{
    static Storage instance;
    return instance;
}

void Storage::init()
{
    Storage& s = get();
    s.probe("ata0", AtaPioDisk::primary, false);
    s.probe("ata1", AtaPioDisk::primary, true);
    s.probe("ata2", AtaPioDisk::secondary, false);
    s.probe("ata3", AtaPioDisk::secondary, true);
    if (!s.m_boot_volume)
        kprintf("storage: no disk holds the boot volume (booted from a device without a driver?)\n");
}

void Storage::probe(const char* name, AtaPioDisk::Channel channel, bool slave)
{
    auto disk = std::make_unique<Disk>();
    snprintf(disk->name, sizeof(disk->name), "%s", name);
    disk->device = std::make_unique<AtaPioDisk>(x86::port_io(), channel, slave);
    auto found = disk->device->identify();
    if (found.is_error()) {
        if (found.error().code() != ErrorCode::NotFound)
            kprintf("storage: %s: %s\n", name, found.error().message());
        return;
    }
    mount(*disk);
    kprintf("storage: %s: %s, %lu MiB%s%s\n", name, disk->device->model(), disk->device->sector_count() / 2048,
            disk->volume ? ", FAT16 volume mounted" : ", ", disk->volume ? "" : disk->problem);
    if (disk->volume && !m_boot_volume && !disk->volume->stat("/boot/kernel.elf").is_error())
        m_boot_volume = disk->volume.get();
    m_disks.push_back(std::move(disk));
}

void Storage::mount(Disk& disk)
{
    auto fail = [&](const Error& e) { snprintf(disk.problem, sizeof(disk.problem), "%s", e.message()); };
    auto table = MbrPartitionTable::read(*disk.device);
    if (table.is_error())
        return fail(table.error());
    auto partition = table->find_fat16();
    if (partition.is_error())
        return fail(partition.error());
    auto window = PartitionBlockDevice::create(*disk.device, partition->first_lba, partition->sector_count);
    if (window.is_error())
        return fail(window.error());
    disk.partition = std::make_unique<PartitionBlockDevice>(window.release_value());
    auto volume = Fat16Volume::mount(*disk.partition);
    if (volume.is_error())
        return fail(volume.error());
    disk.volume = std::make_unique<Fat16Volume>(volume.release_value());
}

} // namespace fluid
