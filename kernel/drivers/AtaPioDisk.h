// A legacy ATA (IDE) disk driven by programmed I/O [ATA/ATAPI-6 (T13
// 1410D) §8 (commands), §9 (PIO protocols)]: IDENTIFY DEVICE, READ/WRITE
// SECTORS EXT with 48-bit LBAs, FLUSH CACHE EXT. It reaches the controller
// only through PortIo, so the host tests run it against an emulated drive.
// Interrupts stay off (nIEN): completion is polled, with bounded waits.
#pragma once

#include "kernel/drivers/PortIo.h"
#include "kernel/drivers/DiskDevice.h"

#include <cstdint>

namespace fluid {

class AtaPioDisk final : public DiskDevice {
public:
    // The two legacy channels: command block and control block ports.
    struct Channel {
        uint16_t command_base;
        uint16_t control_base;
    };
    static constexpr Channel primary { 0x1f0, 0x3f6 };
    static constexpr Channel secondary { 0x170, 0x376 };

    AtaPioDisk(PortIo& io, Channel channel, bool slave) : m_io(io), m_channel(channel), m_slave(slave) { }

    // Probes the drive with IDENTIFY DEVICE. NotFound when no ATA disk is
    // there (no drive, or an ATAPI device such as a CD-ROM).
    ErrorOr<void> identify();

    const char* model() const override { return m_model; }
    bool supports_lba48() const { return m_lba48; }

    uint64_t sector_count() const override { return m_sectors; }
    ErrorOr<void> read(uint64_t lba, size_t count, void* buffer) override;
    ErrorOr<void> write(uint64_t lba, size_t count, const void* buffer) override;
    ErrorOr<void> flush() override;

private:
    uint16_t reg(uint16_t offset) const { return m_channel.command_base + offset; }
    void select(uint64_t lba);
    void issue(uint8_t command, uint64_t lba, uint16_t count);
    ErrorOr<uint8_t> wait_not_busy();
    ErrorOr<void> wait_data_request(const char* what, uint64_t lba);

    PortIo& m_io;
    Channel m_channel;
    bool m_slave;
    bool m_lba48 { false };
    uint64_t m_sectors { 0 };
    char m_model[41] {};
};

} // namespace fluid
