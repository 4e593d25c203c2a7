// One ATA disk on an AHCI port [AHCI 1.3.1 §5 (operation), §10.1.2 (port
// start/stop)]: IDENTIFY DEVICE, READ/WRITE DMA EXT and FLUSH CACHE EXT
// [ATA8-ACS §7.16, §7.25, §7.63, §7.11] issued through command slot 0 with
// a register H2D FIS. Data moves by DMA straight into the caller's buffer
// (the kernel's identity map makes it physically contiguous), up to
// max_sectors_per_command per command; a buffer the HBA cannot address
// (odd, or above 4 GiB without CAP.S64A) goes through a bounce buffer.
#pragma once

#include "kernel/drivers/AhciStructures.h"
#include "kernel/drivers/DiskDevice.h"
#include "kernel/lib/ErrorOr.h"

#include <cstdint>
#include <memory>

namespace fluid {

class AhciController;

class AhciDisk final : public DiskDevice {
public:
    // 8 MiB: two PRDT entries of 4 MiB; the 16-bit count allows 65535.
    static constexpr size_t max_sectors_per_command = 16384;
    static constexpr size_t bounce_bytes = 64 * 1024;

    // Stops the port, gives it its command list and FIS area, starts it
    // and identifies the disk. NotFound when the port holds no ATA disk.
    static ErrorOr<std::unique_ptr<AhciDisk>> create(AhciController&, uint32_t port);

    uint32_t port() const { return m_port; }
    const char* model() const override { return m_model; }
    uint64_t sector_count() const override { return m_sectors; }
    ErrorOr<void> read(uint64_t lba, size_t count, void* buffer) override;
    ErrorOr<void> write(uint64_t lba, size_t count, const void* buffer) override;
    ErrorOr<void> flush() override;

private:
    AhciDisk(AhciController& controller, uint32_t port) : m_controller(controller), m_port(port) { }

    uint32_t reg(uint32_t offset) const { return ahci::port_base(m_port) + offset; }
    ErrorOr<void> stop();
    ErrorOr<void> start();
    ErrorOr<void> identify();
    ErrorOr<void> transfer(bool write, uint64_t lba, size_t count, uint8_t* buffer);
    // Runs one command in slot 0 and waits for it. `data` may be null.
    ErrorOr<void> execute(uint8_t command, uint64_t lba, uint16_t count, uint8_t* data, size_t bytes, bool write,
                          const char* what);
    void recover();
    bool addressable(const void*, size_t bytes) const;

    AhciController& m_controller;
    uint32_t m_port;
    uint8_t* m_page { nullptr };   // command list, received FIS, command table
    uint8_t* m_bounce { nullptr }; // bounce_bytes, also IDENTIFY's buffer
    uint64_t m_sectors { 0 };
    char m_model[41] {};
};

} // namespace fluid
