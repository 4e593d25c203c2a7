#include "kernel/acpi/AcpiTables.h"

#include "kernel/acpi/Aml.h"

#include <cinttypes>
#include <cstring>
#include <span>

namespace fluid {

using namespace acpi;

namespace {

// No real table comes close (DSDTs run to a few hundred KiB); a larger
// length is corruption, and refusing it keeps map() requests sane.
constexpr uint32_t max_table_length = 16 * 1024 * 1024;

uint8_t byte_sum(const uint8_t* bytes, size_t length)
{
    uint8_t sum = 0;
    for (size_t i = 0; i < length; i++)
        sum = uint8_t(sum + bytes[i]);
    return sum;
}

ErrorOr<uint16_t> io_port(const GenericAddress& extended, uint32_t legacy, const char* name)
{
    // ACPI 6.5 §5.2.9, Table 5.9: the X_ field, if non-zero, supersedes
    // the 32-bit one. Only I/O-space blocks can be driven with port I/O.
    uint64_t address = legacy;
    if (extended.address != 0) {
        if (extended.address_space != address_space_io && legacy == 0)
            return Error::format(ErrorCode::Unsupported, "ACPI: %s is in address space %u, not system I/O", name,
                                 extended.address_space);
        if (extended.address_space == address_space_io)
            address = extended.address;
    }
    if (address > 0xffff)
        return Error::format(ErrorCode::Invalid, "ACPI: %s port %#" PRIx64 " is beyond the I/O space", name, address);
    return uint16_t(address);
}

} // namespace

ErrorOr<AcpiTables> AcpiTables::from_rsdp(const uint8_t* rsdp_bytes, size_t length, const PhysicalMemoryView& view)
{
    if (!rsdp_bytes || length < rsdp_v1_size)
        return Error::format(ErrorCode::Invalid, "ACPI: RSDP of %zu bytes is too short", length);
    Rsdp rsdp {};
    memcpy(&rsdp, rsdp_bytes, length < sizeof(Rsdp) ? length : sizeof(Rsdp));
    if (memcmp(rsdp.signature, "RSD PTR ", 8) != 0)
        return Error::from(ErrorCode::Invalid, "ACPI: RSDP signature is not \"RSD PTR \"");
    // ACPI 6.5 §5.2.5.3: the checksum covers the first 20 bytes only.
    if (byte_sum(rsdp_bytes, rsdp_v1_size) != 0)
        return Error::from(ErrorCode::Invalid, "ACPI: RSDP checksum mismatch");

    AcpiTables tables(view);
    tables.m_revision = rsdp.revision;
    memcpy(tables.m_oem_id, rsdp.oem_id, sizeof(rsdp.oem_id));

    ErrorOr<void> xsdt_result;
    if (rsdp.revision >= 2) {
        if (length < sizeof(Rsdp) || rsdp.length < sizeof(Rsdp) || rsdp.length > length)
            return Error::format(ErrorCode::Invalid, "ACPI: RSDP revision %u claims %u bytes, %zu available",
                                 rsdp.revision, rsdp.length, length);
        if (byte_sum(rsdp_bytes, rsdp.length) != 0)
            return Error::from(ErrorCode::Invalid, "ACPI: RSDP extended checksum mismatch");
        if (rsdp.xsdt_address != 0) {
            xsdt_result = tables.use_root(rsdp.xsdt_address, true);
            if (!xsdt_result.is_error())
                return tables;
        }
    }
    if (rsdp.rsdt_address == 0) {
        if (xsdt_result.is_error())
            return xsdt_result.release_error();
        return Error::from(ErrorCode::Invalid, "ACPI: RSDP names neither an XSDT nor an RSDT");
    }
    auto rsdt_result = tables.use_root(rsdp.rsdt_address, false);
    if (rsdt_result.is_error())
        return xsdt_result.is_error() ? xsdt_result.release_error() : rsdt_result.release_error();
    return tables;
}

ErrorOr<void> AcpiTables::use_root(uint64_t physical, bool is_xsdt)
{
    // ACPI 6.5 §5.2.7 (RSDT, 32-bit entries) and §5.2.8 (XSDT, 64-bit entries).
    const uint8_t* root = TRY(map_table(physical, is_xsdt ? "XSDT" : "RSDT"));
    uint32_t length;
    memcpy(&length, root + offsetof(SdtHeader, length), sizeof(length));
    m_root = root;
    m_is_xsdt = is_xsdt;
    m_entry_count = (length - sizeof(SdtHeader)) / (is_xsdt ? 8 : 4);
    return {};
}

ErrorOr<const uint8_t*> AcpiTables::map_table(uint64_t physical, const char* signature) const
{
    const uint8_t* bytes = m_view->map(physical, sizeof(SdtHeader));
    if (!bytes)
        return Error::format(ErrorCode::Invalid, "ACPI: table header at %#" PRIx64 " is not mapped", physical);
    SdtHeader header;
    memcpy(&header, bytes, sizeof(header));
    if (signature && memcmp(header.signature, signature, 4) != 0)
        return Error::format(ErrorCode::Invalid, "ACPI: table at %#" PRIx64 " is '%.4s', expected '%.4s'", physical,
                             header.signature, signature);
    if (header.length < sizeof(SdtHeader) || header.length > max_table_length)
        return Error::format(ErrorCode::Invalid, "ACPI: %.4s at %#" PRIx64 " has length %u", header.signature,
                             physical, header.length);
    bytes = m_view->map(physical, header.length);
    if (!bytes)
        return Error::format(ErrorCode::Invalid, "ACPI: %.4s at %#" PRIx64 ": %u bytes are not mapped",
                             header.signature, physical, header.length);
    if (byte_sum(bytes, header.length) != 0)
        return Error::format(ErrorCode::Invalid, "ACPI: %.4s at %#" PRIx64 " has a bad checksum", header.signature,
                             physical);
    return bytes;
}

uint64_t AcpiTables::entry_address(size_t index) const
{
    const uint8_t* entry = m_root + sizeof(SdtHeader) + index * (m_is_xsdt ? 8 : 4);
    if (m_is_xsdt) {
        uint64_t address;
        memcpy(&address, entry, sizeof(address));
        return address;
    }
    uint32_t address;
    memcpy(&address, entry, sizeof(address));
    return address;
}

ErrorOr<const uint8_t*> AcpiTables::table_at(size_t index) const
{
    if (index >= m_entry_count)
        return Error::format(ErrorCode::NotFound, "ACPI: no root table entry %zu (of %zu)", index, m_entry_count);
    return map_table(entry_address(index), nullptr);
}

ErrorOr<const uint8_t*> AcpiTables::find_table(const char signature[4], size_t index) const
{
    // The DSDT is not listed in the root table (ACPI 6.5 §5.2.11.1).
    if (memcmp(signature, "DSDT", 4) == 0 && index == 0)
        return map_table(TRY(dsdt_address()), "DSDT");
    size_t seen = 0;
    for (size_t i = 0; i < m_entry_count; i++) {
        uint64_t address = entry_address(i);
        // Entries whose header cannot be read are skipped: their signature
        // is unknown, and they must not hide the tables that follow.
        const uint8_t* header = m_view->map(address, sizeof(SdtHeader));
        if (!header || memcmp(header, signature, 4) != 0)
            continue;
        if (seen++ == index)
            return map_table(address, signature);
    }
    return Error::format(ErrorCode::NotFound, "ACPI: no '%.4s' table #%zu among %zu entries", signature, index,
                         m_entry_count);
}

ErrorOr<Fadt> AcpiTables::fadt(size_t& length) const
{
    // ACPI 6.5 §5.2.9: the FADT's signature is "FACP".
    const uint8_t* bytes = TRY(find_table("FACP"));
    uint32_t table_length;
    memcpy(&table_length, bytes + offsetof(SdtHeader, length), sizeof(table_length));
    Fadt fadt {};
    length = table_length < sizeof(Fadt) ? table_length : sizeof(Fadt);
    memcpy(&fadt, bytes, length);
    return fadt;
}

ErrorOr<uint64_t> AcpiTables::dsdt_address() const
{
    size_t length = 0;
    Fadt fadt = TRY(this->fadt(length));
    // X_DSDT (ACPI 2.0+) wins when present and non-zero.
    if (fadt.x_dsdt != 0)
        return fadt.x_dsdt;
    if (fadt.dsdt != 0)
        return uint64_t(fadt.dsdt);
    return Error::from(ErrorCode::NotFound, "ACPI: the FADT names no DSDT");
}

ErrorOr<SleepControl> AcpiTables::s5_sleep_control() const
{
    size_t length = 0;
    Fadt fadt = TRY(this->fadt(length));
    SleepControl control {};
    control.pm1a_control_port = TRY(io_port(fadt.x_pm1a_cnt_blk, fadt.pm1a_cnt_blk, "PM1a_CNT_BLK"));
    control.pm1b_control_port = TRY(io_port(fadt.x_pm1b_cnt_blk, fadt.pm1b_cnt_blk, "PM1b_CNT_BLK"));
    if (control.pm1a_control_port == 0)
        return Error::from(ErrorCode::Unsupported, "ACPI: the FADT has no PM1a control block");

    const uint8_t* dsdt = TRY(find_table("DSDT"));
    uint32_t dsdt_length;
    memcpy(&dsdt_length, dsdt + offsetof(SdtHeader, length), sizeof(dsdt_length));
    auto types = TRY(find_s5_sleep_types(std::span(dsdt + sizeof(SdtHeader), dsdt_length - sizeof(SdtHeader))));
    control.slp_typ_a = types.a;
    control.slp_typ_b = types.b;
    return control;
}

PmTimer AcpiTables::pm_timer() const
{
    size_t length = 0;
    auto fadt = this->fadt(length);
    if (fadt.is_error())
        return { false, 0, false };
    bool wide = fadt->flags & fadt_flag_tmr_val_ext;
    const GenericAddress& x = fadt->x_pm_tmr_blk;
    if (length >= offsetof(Fadt, x_pm_tmr_blk) + sizeof(GenericAddress) && x.address != 0) {
        if (x.address_space != address_space_io || x.address > 0xffff)
            return { false, 0, false }; // a memory-mapped PM timer: not used
        return { true, uint16_t(x.address), wide };
    }
    if (fadt->pm_tmr_blk == 0 || fadt->pm_tmr_blk > 0xffff || fadt->pm_tmr_len != 4)
        return { false, 0, false };
    return { true, uint16_t(fadt->pm_tmr_blk), wide };
}

ResetRegister AcpiTables::reset_register() const
{
    size_t length = 0;
    auto fadt = this->fadt(length);
    // RESET_REG arrived with ACPI 2.0; it is valid only with RESET_REG_SUP.
    if (fadt.is_error() || length <= offsetof(Fadt, reset_value))
        return { false, 0, 0, 0 };
    if (!(fadt->flags & fadt_flag_reset_reg_sup) || fadt->reset_reg.address == 0)
        return { false, 0, 0, 0 };
    return { true, fadt->reset_reg.address_space, fadt->reset_reg.address, fadt->reset_value };
}

} // namespace fluid
