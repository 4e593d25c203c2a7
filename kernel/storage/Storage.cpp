#include "kernel/storage/Storage.h"

#include "kernel/Kernel.h"
#include "kernel/drivers/AtaPioDisk.h"
#include "kernel/drivers/Console.h"
#include "kernel/drivers/PciBus.h"
#include "kernel/fs/MbrPartitionTable.h"
#include "kernel/storage/PageDmaMemory.h"

#include <arch/clock.h>
#include <arch/io.h>
#include <arch/mmu.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace fluid {

Storage& Storage::get()
{
    static Storage instance;
    return instance;
}

void Storage::init()
{
    Storage& s = get();
    // The kernel command line is the environment (runtime/Process.cpp).
    const char* storage = getenv("storage");
    if (storage && strcmp(storage, "none") == 0) {
        kprintf("storage: disabled by storage=none on the command line\n");
        return;
    }
    s.probe_ata();
    s.probe_ahci();
    if (!s.m_boot_volume)
        kprintf("storage: no disk holds the boot volume (booted from a device without a driver?)\n");
}

void Storage::probe_ata()
{
    static constexpr struct {
        const char* name;
        AtaPioDisk::Channel channel;
        bool slave;
    } positions[] = {
        { "ata0", AtaPioDisk::primary, false },
        { "ata1", AtaPioDisk::primary, true },
        { "ata2", AtaPioDisk::secondary, false },
        { "ata3", AtaPioDisk::secondary, true },
    };
    for (const auto& position : positions) {
        auto disk = std::make_unique<AtaPioDisk>(arch::port_io(), position.channel, position.slave);
        auto found = disk->identify();
        if (found.is_error()) {
            if (found.error().code() != ErrorCode::NotFound)
                kprintf("storage: %s: %s\n", position.name, found.error().message());
            continue;
        }
        add(position.name, std::move(disk));
    }
}

void Storage::probe_ahci()
{
    static PageDmaMemory dma;
    PciBus pci(arch::pci_config());
    pci.enumerate();
    unsigned next_sata = 0;
    for (const PciFunction& f : pci.functions()) {
        // Mass storage / SATA / AHCI 1.0 [PCI Code and ID Assignment 1.9 §1.2].
        if (f.class_code != 0x01 || f.subclass != 0x06 || f.prog_if != 0x01)
            continue;
        // ABAR is BAR5 [AHCI 1.3.1 §2.1.11]: generic registers and 32 ports
        // take 0x1100 bytes.
        const PciBar& abar = f.bars[5];
        if (!abar.address || abar.is_io) {
            kprintf("storage: AHCI %02x:%02x.%x has no memory BAR5\n", f.bus, f.device, f.function);
            continue;
        }
        if (auto mapped = arch::mmu_map_identity(abar.address, 0x2000, true); mapped.is_error()) {
            kprintf("storage: AHCI %02x:%02x.%x: %s\n", f.bus, f.device, f.function, mapped.error().message());
            continue;
        }
        pci.enable_memory_and_bus_master(f);
        auto& mmio = m_mmio.emplace_back(std::make_unique<MemoryMmio>(uintptr_t(abar.address)));
        auto& controller = m_controllers.emplace_back(std::make_unique<AhciController>(*mmio, dma, arch::now_ns));
        auto ready = controller->initialize();
        if (ready.is_error()) {
            kprintf("storage: AHCI %02x:%02x.%x: %s\n", f.bus, f.device, f.function, ready.error().message());
            continue;
        }
        for (const auto& problem : controller->problems())
            kprintf("storage: AHCI %02x:%02x.%x: %s\n", f.bus, f.device, f.function, problem->message());
        for (auto& disk : controller->take_disks()) {
            char name[8];
            snprintf(name, sizeof(name), "sata%u", next_sata++);
            add(name, std::move(disk));
        }
    }
}

void Storage::add(const char* name, std::unique_ptr<DiskDevice> device)
{
    auto disk = std::make_unique<Disk>();
    snprintf(disk->name, sizeof(disk->name), "%s", name);
    disk->device = std::move(device);
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
