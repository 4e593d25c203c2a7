#include "kernel/drivers/AtaPioDisk.h"

#include <cstring>

namespace fluid {

// Command block register offsets and status bits [ATA/ATAPI-6 §7].
enum AtaRegister : uint16_t { Data = 0, ErrorRegister = 1, SectorCount = 2, LbaLow = 3, LbaMid = 4, LbaHigh = 5, Device = 6, Command = 7 };
static constexpr uint16_t status_register = Command;
static constexpr uint8_t status_err = 0x01, status_drq = 0x08, status_df = 0x20, status_bsy = 0x80;
static constexpr uint8_t cmd_identify = 0xec, cmd_read_ext = 0x24, cmd_write_ext = 0x34, cmd_flush_ext = 0xea;
// Polls before a command counts as timed out: far longer than any real or
// emulated drive needs, short enough that a dead controller is reported.
static constexpr uint32_t max_polls = 50'000'000;
// READ/WRITE SECTORS EXT move up to 65536 sectors; we ask for at most 256 at
// a time so one command never holds the bus for long.
static constexpr size_t max_sectors_per_command = 256;

void AtaPioDisk::select(uint64_t lba)
{
    // LBA mode, drive bit; bits 0-3 carry LBA 24-27 only for 28-bit commands.
    m_io.write8(reg(Device), uint8_t(0xe0 | (m_slave ? 0x10 : 0) | ((lba >> 24) & 0x0f)));
    // Selecting a drive needs 400 ns before status is valid [§9.7]: four
    // reads of the alternate status register.
    for (int i = 0; i < 4; ++i)
        (void)m_io.read8(m_channel.control_base);
}

ErrorOr<uint8_t> AtaPioDisk::wait_not_busy()
{
    for (uint32_t i = 0; i < max_polls; ++i) {
        uint8_t status = m_io.read8(reg(status_register));
        if (!(status & status_bsy))
            return status;
    }
    return Error::format(ErrorCode::Timeout, "ATA %s: drive stays busy", m_slave ? "slave" : "master");
}

ErrorOr<void> AtaPioDisk::wait_data_request(const char* what, uint64_t lba)
{
    for (uint32_t i = 0; i < max_polls; ++i) {
        uint8_t status = TRY(wait_not_busy());
        if (status & (status_err | status_df))
            return Error::format(ErrorCode::IoError, "ATA: %s at sector %lu failed (status 0x%02x, error 0x%02x)", what,
                                 lba, status, m_io.read8(reg(ErrorRegister)));
        if (status & status_drq)
            return {};
    }
    return Error::format(ErrorCode::Timeout, "ATA: %s at sector %lu: no data request", what, lba);
}

void AtaPioDisk::issue(uint8_t command, uint64_t lba, uint16_t count)
{
    select(0);
    // 48-bit register pairs: high-order bytes first [§8.21.4].
    m_io.write8(reg(SectorCount), uint8_t(count >> 8));
    m_io.write8(reg(LbaLow), uint8_t(lba >> 24));
    m_io.write8(reg(LbaMid), uint8_t(lba >> 32));
    m_io.write8(reg(LbaHigh), uint8_t(lba >> 40));
    m_io.write8(reg(SectorCount), uint8_t(count));
    m_io.write8(reg(LbaLow), uint8_t(lba));
    m_io.write8(reg(LbaMid), uint8_t(lba >> 8));
    m_io.write8(reg(LbaHigh), uint8_t(lba >> 16));
    m_io.write8(reg(Command), command);
}

ErrorOr<void> AtaPioDisk::identify()
{
    const char* which = m_slave ? "slave" : "master";
    m_io.write8(m_channel.control_base, 0x02); // nIEN: no interrupts, we poll
    select(0);
    m_io.write8(reg(SectorCount), 0);
    m_io.write8(reg(LbaLow), 0);
    m_io.write8(reg(LbaMid), 0);
    m_io.write8(reg(LbaHigh), 0);
    m_io.write8(reg(Command), cmd_identify);
    uint8_t status = m_io.read8(reg(status_register));
    if (status == 0 || status == 0xff)
        return Error::format(ErrorCode::NotFound, "ATA %s: no drive", which);
    status = TRY(wait_not_busy());
    // ATAPI and SATA-in-IDE-mode packet devices put a signature here.
    if (m_io.read8(reg(LbaMid)) || m_io.read8(reg(LbaHigh)))
        return Error::format(ErrorCode::NotFound, "ATA %s: not an ATA disk (packet device)", which);
    TRY(wait_data_request("IDENTIFY", 0));
    uint16_t words[256];
    m_io.read16_block(reg(Data), words, 256);
    // Words 83 bit 10: 48-bit addressing; 100-103: its sector count;
    // 60-61: the 28-bit count [§8.15].
    m_lba48 = words[83] & (1u << 10);
    uint64_t lba28 = words[60] | (uint32_t(words[61]) << 16);
    uint64_t lba48 = words[100] | (uint64_t(words[101]) << 16) | (uint64_t(words[102]) << 32) | (uint64_t(words[103]) << 48);
    m_sectors = m_lba48 && lba48 ? lba48 : lba28;
    // Model: words 27-46, two ASCII characters per word, high byte first.
    for (int i = 0; i < 20; ++i) {
        m_model[2 * i] = char(words[27 + i] >> 8);
        m_model[2 * i + 1] = char(words[27 + i] & 0xff);
    }
    for (int i = 39; i >= 0 && (m_model[i] == ' ' || m_model[i] == 0); --i)
        m_model[i] = 0;
    if (!m_sectors)
        return Error::format(ErrorCode::Unsupported, "ATA %s: drive reports no LBA sectors", which);
    if (!m_lba48)
        return Error::format(ErrorCode::Unsupported, "ATA %s: no 48-bit LBA support", which);
    return {};
}

ErrorOr<void> AtaPioDisk::read(uint64_t lba, size_t count, void* buffer)
{
    if (!range_fits(lba, count, m_sectors))
        return Error::format(ErrorCode::Invalid, "ATA: read of %zu sectors at %lu is past the end (%lu)", count, lba,
                             m_sectors);
    auto* out = static_cast<uint16_t*>(buffer);
    while (count) {
        size_t chunk = count < max_sectors_per_command ? count : max_sectors_per_command;
        issue(cmd_read_ext, lba, uint16_t(chunk));
        for (size_t s = 0; s < chunk; ++s) {
            TRY(wait_data_request("read", lba + s));
            m_io.read16_block(reg(Data), out, sector_size / 2);
            out += sector_size / 2;
        }
        lba += chunk;
        count -= chunk;
    }
    return {};
}

ErrorOr<void> AtaPioDisk::write(uint64_t lba, size_t count, const void* buffer)
{
    if (!range_fits(lba, count, m_sectors))
        return Error::format(ErrorCode::Invalid, "ATA: write of %zu sectors at %lu is past the end (%lu)", count, lba,
                             m_sectors);
    auto* in = static_cast<const uint16_t*>(buffer);
    while (count) {
        size_t chunk = count < max_sectors_per_command ? count : max_sectors_per_command;
        issue(cmd_write_ext, lba, uint16_t(chunk));
        for (size_t s = 0; s < chunk; ++s) {
            TRY(wait_data_request("write", lba + s));
            m_io.write16_block(reg(Data), in, sector_size / 2);
            in += sector_size / 2;
        }
        uint8_t status = TRY(wait_not_busy());
        if (status & (status_err | status_df))
            return Error::format(ErrorCode::IoError, "ATA: write at sector %lu failed (status 0x%02x)", lba, status);
        lba += chunk;
        count -= chunk;
    }
    return {};
}

ErrorOr<void> AtaPioDisk::flush()
{
    select(0);
    m_io.write8(reg(Command), cmd_flush_ext);
    uint8_t status = TRY(wait_not_busy());
    if (status & (status_err | status_df))
        return Error::format(ErrorCode::IoError, "ATA: cache flush failed (status 0x%02x)", status);
    return {};
}

} // namespace fluid
