#include "kernel/drivers/AhciDisk.h"

#include "kernel/drivers/AhciController.h"

#include <cstring>

namespace fluid {

using namespace ahci;

static constexpr uint8_t ata_identify = 0xec, ata_read_dma_ext = 0x25, ata_write_dma_ext = 0x35,
                         ata_flush_cache_ext = 0xea;
// Generous bounds: a spinning disk may take seconds to spin up and to
// retry a bad sector; beyond these the port is reported dead.
static constexpr uint32_t stop_timeout_ms = 500, ready_timeout_ms = 5000, command_timeout_ms = 10000;

static uint32_t low(const void* p) { return uint32_t(reinterpret_cast<uintptr_t>(p)); }
static uint32_t high(const void* p) { return uint32_t(uint64_t(reinterpret_cast<uintptr_t>(p)) >> 32); }

ErrorOr<std::unique_ptr<AhciDisk>> AhciDisk::create(AhciController& controller, uint32_t port)
{
    std::unique_ptr<AhciDisk> disk(new AhciDisk(controller, port));
    bool below_4g = !controller.supports_64bit();
    disk->m_page = static_cast<uint8_t*>(TRY(controller.dma().allocate(4096, below_4g)));
    disk->m_bounce = static_cast<uint8_t*>(TRY(controller.dma().allocate(bounce_bytes, below_4g)));
    TRY(disk->stop());
    TRY(disk->start());
    // PxSIG holds the device's first D2H register FIS, which the HBA only
    // takes in once FIS receive is on [§3.3.9], so look after start().
    if (uint32_t signature = controller.hba().read32(port_base(port) + PxSig); signature != sig_ata) {
        (void)disk->stop();
        return Error::format(ErrorCode::NotFound, "AHCI port %u: not an ATA disk (signature 0x%08x)", port, signature);
    }
    TRY(disk->identify());
    return disk;
}

ErrorOr<void> AhciDisk::stop()
{
    // [§10.1.2]: clear ST and wait for CR to drop, then FRE and FR.
    Mmio& hba = m_controller.hba();
    hba.write32(reg(PxCmd), hba.read32(reg(PxCmd)) & ~cmd_st);
    if (!m_controller.wait(stop_timeout_ms, [&] { return !(hba.read32(reg(PxCmd)) & cmd_cr); }))
        return Error::format(ErrorCode::Timeout, "AHCI port %u: command list does not stop", m_port);
    hba.write32(reg(PxCmd), hba.read32(reg(PxCmd)) & ~cmd_fre);
    if (!m_controller.wait(stop_timeout_ms, [&] { return !(hba.read32(reg(PxCmd)) & cmd_fr); }))
        return Error::format(ErrorCode::Timeout, "AHCI port %u: FIS receive does not stop", m_port);
    return {};
}

ErrorOr<void> AhciDisk::start()
{
    Mmio& hba = m_controller.hba();
    auto* list = m_page + page_command_list;
    auto* fis = m_page + page_received_fis;
    hba.write32(reg(PxClb), low(list));
    hba.write32(reg(PxClbu), high(list));
    hba.write32(reg(PxFb), low(fis));
    hba.write32(reg(PxFbu), high(fis));
    // Clear stale errors and interrupt status (both write-1-to-clear).
    hba.write32(reg(PxSerr), 0xffffffff);
    hba.write32(reg(PxIs), 0xffffffff);
    hba.write32(reg(PxIe), 0);
    hba.write32(reg(PxCmd), hba.read32(reg(PxCmd)) | cmd_fre | cmd_sud | cmd_pod);
    // ST may be set only once the device is not busy [§10.3.1].
    if (!m_controller.wait(ready_timeout_ms, [&] { return !(hba.read32(reg(PxTfd)) & (tfd_bsy | tfd_drq)); }))
        return Error::format(ErrorCode::Timeout, "AHCI port %u: device stays busy (task file 0x%x)", m_port,
                             hba.read32(reg(PxTfd)));
    hba.write32(reg(PxCmd), hba.read32(reg(PxCmd)) | cmd_st);
    return {};
}

void AhciDisk::recover()
{
    // After a task file error the port must be restarted before it takes
    // another command [§6.2.2.1]; a failure here shows up on the next one.
    (void)stop();
    (void)start();
}

bool AhciDisk::addressable(const void* p, size_t bytes) const
{
    auto address = uint64_t(reinterpret_cast<uintptr_t>(p));
    if (address & 1) // PRD data base must be word aligned [§4.2.3.3]
        return false;
    return m_controller.supports_64bit() || address + bytes <= (uint64_t(1) << 32);
}

ErrorOr<void> AhciDisk::execute(uint8_t command, uint64_t lba, uint16_t count, uint8_t* data, size_t bytes,
                                bool write, const char* what)
{
    Mmio& hba = m_controller.hba();
    auto* header = reinterpret_cast<CommandHeader*>(m_page + page_command_list);
    auto* table = reinterpret_cast<CommandTable*>(m_page + page_command_table);
    memset(table, 0, sizeof(CommandTable));

    auto* fis = reinterpret_cast<FisRegisterH2D*>(table->command_fis);
    fis->type = fis_type_register_h2d;
    fis->flags = 0x80;
    fis->command = command;
    fis->device = 0x40; // LBA
    fis->lba0 = uint8_t(lba);
    fis->lba1 = uint8_t(lba >> 8);
    fis->lba2 = uint8_t(lba >> 16);
    fis->lba3 = uint8_t(lba >> 24);
    fis->lba4 = uint8_t(lba >> 32);
    fis->lba5 = uint8_t(lba >> 40);
    fis->count = count;

    uint16_t entries = 0;
    for (size_t done = 0; done < bytes; ++entries) {
        if (entries == prdt_entries)
            return Error::format(ErrorCode::Invalid, "AHCI: %zu bytes need more than %u PRD entries", bytes,
                                 prdt_entries);
        size_t piece = bytes - done < prdt_max_bytes ? bytes - done : prdt_max_bytes;
        table->prdt[entries].address_low = low(data + done);
        table->prdt[entries].address_high = high(data + done);
        table->prdt[entries].byte_count_flags = uint32_t(piece - 1);
        done += piece;
    }
    *header = {};
    header->flags = uint16_t(sizeof(FisRegisterH2D) / 4) | (write ? (1u << 6) : 0);
    header->prdt_length = entries;
    header->table_low = low(table);
    header->table_high = high(table);

    if (!m_controller.wait(ready_timeout_ms, [&] { return !(hba.read32(reg(PxTfd)) & (tfd_bsy | tfd_drq)); })) {
        recover();
        return Error::format(ErrorCode::Timeout, "AHCI port %u: %s at sector %lu: device busy", m_port, what, lba);
    }
    hba.write32(reg(PxIs), 0xffffffff);
    // The descriptors must be in memory before the HBA is told to fetch them.
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    hba.write32(reg(PxCi), 1);

    bool failed = false;
    bool finished = m_controller.wait(command_timeout_ms, [&] {
        if (hba.read32(reg(PxIs)) & is_tfes)
            return failed = true;
        return !(hba.read32(reg(PxCi)) & 1);
    });
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    uint32_t tfd = hba.read32(reg(PxTfd));
    if (!finished) {
        recover();
        return Error::format(ErrorCode::Timeout, "AHCI port %u: %s at sector %lu timed out (task file 0x%x)", m_port,
                             what, lba, tfd);
    }
    if (failed || (tfd & (tfd_err | tfd_df))) {
        recover();
        return Error::format(ErrorCode::IoError, "AHCI port %u: %s at sector %lu failed (status 0x%02x, error 0x%02x)",
                             m_port, what, lba, tfd & 0xff, (tfd >> 8) & 0xff);
    }
    return {};
}

ErrorOr<void> AhciDisk::identify()
{
    TRY(execute(ata_identify, 0, 0, m_bounce, 512, false, "IDENTIFY"));
    uint16_t words[256];
    memcpy(words, m_bounce, sizeof(words));
    // Word 83 bit 10: 48-bit addressing; 100-103 its sector count; 60-61
    // the 28-bit count; 27-46 the model, high byte first [ATA8-ACS §7.16].
    bool lba48 = words[83] & (1u << 10);
    uint64_t lba28 = words[60] | (uint32_t(words[61]) << 16);
    uint64_t sectors48 = words[100] | (uint64_t(words[101]) << 16) | (uint64_t(words[102]) << 32) |
                         (uint64_t(words[103]) << 48);
    m_sectors = lba48 && sectors48 ? sectors48 : lba28;
    for (int i = 0; i < 20; ++i) {
        m_model[2 * i] = char(words[27 + i] >> 8);
        m_model[2 * i + 1] = char(words[27 + i] & 0xff);
    }
    for (int i = 39; i >= 0 && (m_model[i] == ' ' || m_model[i] == 0); --i)
        m_model[i] = 0;
    if (!lba48 || !m_sectors)
        return Error::format(ErrorCode::Unsupported, "AHCI port %u: disk lacks 48-bit LBA", m_port);
    return {};
}

ErrorOr<void> AhciDisk::transfer(bool write, uint64_t lba, size_t count, uint8_t* buffer)
{
    const char* what = write ? "write" : "read";
    if (!range_fits(lba, count, m_sectors))
        return Error::format(ErrorCode::Invalid, "AHCI: %s of %zu sectors at %lu is past the end (%lu)", what, count,
                             lba, m_sectors);
    uint8_t command = write ? ata_write_dma_ext : ata_read_dma_ext;
    while (count) {
        size_t chunk = count < max_sectors_per_command ? count : max_sectors_per_command;
        size_t bytes = chunk * sector_size;
        if (addressable(buffer, bytes)) {
            TRY(execute(command, lba, uint16_t(chunk), buffer, bytes, write, what));
        } else {
            chunk = chunk < bounce_bytes / sector_size ? chunk : bounce_bytes / sector_size;
            bytes = chunk * sector_size;
            if (write)
                memcpy(m_bounce, buffer, bytes);
            TRY(execute(command, lba, uint16_t(chunk), m_bounce, bytes, write, what));
            if (!write)
                memcpy(buffer, m_bounce, bytes);
        }
        lba += chunk;
        count -= chunk;
        buffer += bytes;
    }
    return {};
}

ErrorOr<void> AhciDisk::read(uint64_t lba, size_t count, void* buffer)
{
    return transfer(false, lba, count, static_cast<uint8_t*>(buffer));
}

ErrorOr<void> AhciDisk::write(uint64_t lba, size_t count, const void* buffer)
{
    // The HBA only reads from the buffer on a write.
    return transfer(true, lba, count, static_cast<uint8_t*>(const_cast<void*>(buffer)));
}

ErrorOr<void> AhciDisk::flush() { return execute(ata_flush_cache_ext, 0, 0, nullptr, 0, false, "cache flush"); }

} // namespace fluid
