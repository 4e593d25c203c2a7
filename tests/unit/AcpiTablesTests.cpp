#include "kernel/acpi/AcpiTables.h"
#include "kernel/acpi/Aml.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

using namespace fluid;
using namespace fluid::acpi;

namespace {

// 1 MiB of fake physical memory at 16 MiB; anything else is unmapped.
class FakePhysicalMemory final : public PhysicalMemoryView {
public:
    static constexpr uint64_t base = 0x1000000;
    static constexpr size_t size = 0x100000;

    FakePhysicalMemory() : m_bytes(size, 0) { }
    const uint8_t* map(uint64_t physical, size_t length) const override
    {
        if (physical < base || length > size || physical - base > size - length)
            return nullptr;
        return m_bytes.data() + (physical - base);
    }
    uint8_t* at(uint64_t physical) { return m_bytes.data() + (physical - base); }

private:
    std::vector<uint8_t> m_bytes;
};

uint8_t checksum_byte(const uint8_t* bytes, size_t length)
{
    uint8_t sum = 0;
    for (size_t i = 0; i < length; i++)
        sum = uint8_t(sum + bytes[i]);
    return uint8_t(-sum);
}

// Writes header + body at `address` with a correct checksum.
void write_table(FakePhysicalMemory& memory, uint64_t address, const char* signature, const std::vector<uint8_t>& body,
                 uint8_t revision = 1)
{
    SdtHeader header {};
    memcpy(header.signature, signature, 4);
    header.length = uint32_t(sizeof(SdtHeader) + body.size());
    header.revision = revision;
    memcpy(header.oem_id, "FLUID ", 6);
    uint8_t* out = memory.at(address);
    memcpy(out, &header, sizeof(header));
    memcpy(out + sizeof(header), body.data(), body.size());
    out[offsetof(SdtHeader, checksum)] = checksum_byte(out, header.length);
}

template<typename T>
std::vector<uint8_t> entries(const std::vector<T>& addresses)
{
    std::vector<uint8_t> body(addresses.size() * sizeof(T));
    memcpy(body.data(), addresses.data(), body.size());
    return body;
}

// Name(_S5_, Package(4) { 5, 5, 0, 0 })
const std::vector<uint8_t> s5_aml = { 0x10, 0x05, '_', 'S', 'B', '_', // unrelated bytes first
                                      0x08, '_', 'S', '5', '_', 0x12, 0x08, 0x04, 0x0a, 0x05, 0x0a, 0x05, 0x00, 0x00 };

constexpr uint64_t xsdt_at = 0x1001000, rsdt_at = 0x1002000, fadt_at = 0x1003000, dsdt_at = 0x1004000,
                   apic_at = 0x1005000, ssdt1_at = 0x1006000, ssdt2_at = 0x1007000;

struct Platform {
    FakePhysicalMemory memory;
    std::vector<uint8_t> rsdp = std::vector<uint8_t>(36, 0);

    explicit Platform(size_t fadt_length = sizeof(Fadt), const std::vector<uint8_t>& aml = s5_aml)
    {
        write_fadt(fadt_length);
        write_table(memory, dsdt_at, "DSDT", aml, 2);
        write_table(memory, apic_at, "APIC", { 1, 2, 3, 4 });
        write_table(memory, ssdt1_at, "SSDT", { 0xa1 });
        write_table(memory, ssdt2_at, "SSDT", { 0xa2 });
        write_table(memory, xsdt_at, "XSDT", entries<uint64_t>({ fadt_at, apic_at, ssdt1_at, ssdt2_at }));
        write_table(memory, rsdt_at, "RSDT", entries<uint32_t>({ fadt_at, apic_at }));
        write_rsdp(2, rsdt_at, xsdt_at);
    }

    void write_fadt(size_t length)
    {
        Fadt fadt {};
        fadt.dsdt = dsdt_at;
        fadt.pm1a_cnt_blk = 0x604;
        fadt.flags = fadt_flag_reset_reg_sup;
        fadt.reset_reg = { address_space_io, 8, 0, 1, 0xcf9 };
        fadt.reset_value = 0x06;
        fadt.x_dsdt = dsdt_at;
        std::vector<uint8_t> body(length - sizeof(SdtHeader));
        memcpy(body.data(), reinterpret_cast<uint8_t*>(&fadt) + sizeof(SdtHeader), body.size());
        write_table(memory, fadt_at, "FACP", body, length >= 244 ? 6 : 1);
    }

    void write_rsdp(uint8_t revision, uint32_t rsdt, uint64_t xsdt)
    {
        Rsdp value {};
        memcpy(value.signature, "RSD PTR ", 8);
        memcpy(value.oem_id, "FLUIDx", 6);
        value.revision = revision;
        value.rsdt_address = rsdt;
        value.length = sizeof(Rsdp);
        value.xsdt_address = xsdt;
        memcpy(rsdp.data(), &value, sizeof(value));
        rsdp[8] = checksum_byte(rsdp.data(), rsdp_v1_size);
        rsdp[32] = checksum_byte(rsdp.data(), sizeof(Rsdp));
    }

    // Changes a byte of a table and leaves its checksum wrong.
    void corrupt(uint64_t address, size_t offset = 20) { memory.at(address)[offset] ^= 0x55; }

    ErrorOr<AcpiTables> tables(size_t length = 36) const { return AcpiTables::from_rsdp(rsdp.data(), length, memory); }
};

std::string message(const Error& error) { return error.message(); }

} // namespace

TEST(AcpiTables, ParsesAWellFormedPlatform)
{
    Platform platform;
    auto tables = platform.tables();
    ASSERT_FALSE(tables.is_error()) << tables.error().message();
    EXPECT_TRUE(tables->uses_xsdt());
    EXPECT_EQ(tables->revision(), 2);
    EXPECT_EQ(tables->table_count(), 4u);
    EXPECT_STREQ(tables->oem_id(), "FLUIDx");

    auto apic = tables->find_table("APIC");
    ASSERT_FALSE(apic.is_error());
    EXPECT_EQ(apic.value(), platform.memory.map(apic_at, 1));
    auto second_ssdt = tables->find_table("SSDT", 1);
    ASSERT_FALSE(second_ssdt.is_error());
    EXPECT_EQ(second_ssdt.value()[sizeof(SdtHeader)], 0xa2);
    EXPECT_EQ(tables->find_table("SSDT", 2).error().code(), ErrorCode::NotFound);
    EXPECT_EQ(tables->find_table("HPET").error().code(), ErrorCode::NotFound);
    auto dsdt = tables->find_table("DSDT");
    ASSERT_FALSE(dsdt.is_error());
    EXPECT_EQ(dsdt.value(), platform.memory.map(dsdt_at, 1));
    EXPECT_FALSE(tables->table_at(3).is_error());
    EXPECT_TRUE(tables->table_at(4).is_error());

    auto s5 = tables->s5_sleep_control();
    ASSERT_FALSE(s5.is_error()) << s5.error().message();
    EXPECT_EQ(s5->pm1a_control_port, 0x604);
    EXPECT_EQ(s5->pm1b_control_port, 0);
    EXPECT_EQ(s5->slp_typ_a, 5);
    EXPECT_EQ(s5->slp_typ_b, 5);

    ResetRegister reset = tables->reset_register();
    EXPECT_TRUE(reset.present);
    EXPECT_EQ(reset.address_space, address_space_io);
    EXPECT_EQ(reset.address, 0xcf9u);
    EXPECT_EQ(reset.value, 0x06);
}

TEST(AcpiTables, ExtendedPm1BlocksWinOverLegacyOnes)
{
    Platform platform;
    auto* fadt = platform.memory.at(fadt_at);
    GenericAddress x_pm1a { address_space_io, 16, 0, 2, 0xb004 };
    GenericAddress x_pm1b { address_space_io, 16, 0, 2, 0xb044 };
    memcpy(fadt + offsetof(Fadt, x_pm1a_cnt_blk), &x_pm1a, sizeof(x_pm1a));
    memcpy(fadt + offsetof(Fadt, x_pm1b_cnt_blk), &x_pm1b, sizeof(x_pm1b));
    fadt[offsetof(SdtHeader, checksum)] = 0;
    fadt[offsetof(SdtHeader, checksum)] = checksum_byte(fadt, sizeof(Fadt));
    auto s5 = platform.tables()->s5_sleep_control();
    ASSERT_FALSE(s5.is_error()) << s5.error().message();
    EXPECT_EQ(s5->pm1a_control_port, 0xb004);
    EXPECT_EQ(s5->pm1b_control_port, 0xb044);
}

TEST(AcpiTables, Acpi1FadtUsesLegacyFieldsAndHasNoResetRegister)
{
    Platform platform(116);
    auto tables = platform.tables();
    ASSERT_FALSE(tables.is_error());
    auto s5 = tables->s5_sleep_control();
    ASSERT_FALSE(s5.is_error()) << s5.error().message();
    EXPECT_EQ(s5->pm1a_control_port, 0x604);
    EXPECT_FALSE(tables->reset_register().present);
}

TEST(AcpiTables, RevisionZeroRsdpUsesTheRsdt)
{
    Platform platform;
    platform.write_rsdp(0, rsdt_at, 0);
    auto tables = platform.tables(20);
    ASSERT_FALSE(tables.is_error()) << tables.error().message();
    EXPECT_FALSE(tables->uses_xsdt());
    EXPECT_EQ(tables->table_count(), 2u);
    EXPECT_FALSE(tables->find_table("APIC").is_error());
    EXPECT_FALSE(tables->s5_sleep_control().is_error());
}

TEST(AcpiTables, RejectsBadRsdp)
{
    Platform platform;
    EXPECT_TRUE(AcpiTables::from_rsdp(nullptr, 36, platform.memory).is_error());
    EXPECT_TRUE(platform.tables(19).is_error());
    EXPECT_TRUE(platform.tables(24).is_error()); // revision 2 needs 36 bytes

    Platform bad_checksum;
    bad_checksum.rsdp[8] ^= 1;
    EXPECT_NE(message(bad_checksum.tables().error()).find("RSDP checksum"), std::string::npos);

    Platform bad_extended;
    bad_extended.rsdp[32] ^= 1;
    EXPECT_NE(message(bad_extended.tables().error()).find("extended checksum"), std::string::npos);

    Platform bad_signature;
    bad_signature.rsdp[0] = 'X';
    EXPECT_TRUE(bad_signature.tables().is_error());
}

TEST(AcpiTables, FallsBackToRsdtWhenXsdtIsBroken)
{
    Platform platform;
    platform.corrupt(xsdt_at, 36);
    auto tables = platform.tables();
    ASSERT_FALSE(tables.is_error()) << tables.error().message();
    EXPECT_FALSE(tables->uses_xsdt());

    platform.corrupt(rsdt_at, 36);
    auto broken = platform.tables();
    ASSERT_TRUE(broken.is_error());
    EXPECT_NE(message(broken.error()).find("XSDT"), std::string::npos);
}

TEST(AcpiTables, RejectsRootTablesOutsideMemory)
{
    Platform platform;
    platform.write_rsdp(2, 0, 0x5000000);
    EXPECT_NE(message(platform.tables().error()).find("not mapped"), std::string::npos);

    Platform too_long; // XSDT length runs past the end of mapped memory
    uint32_t length = FakePhysicalMemory::size;
    memcpy(too_long.memory.at(xsdt_at) + 4, &length, 4);
    too_long.write_rsdp(2, 0, xsdt_at);
    EXPECT_NE(message(too_long.tables().error()).find("not mapped"), std::string::npos);

    Platform too_short;
    uint32_t tiny = 20;
    memcpy(too_short.memory.at(xsdt_at) + 4, &tiny, 4);
    too_short.write_rsdp(2, 0, xsdt_at);
    EXPECT_TRUE(too_short.tables().is_error());
}

TEST(AcpiTables, ValidatesTablesItHandsOut)
{
    Platform platform;
    platform.corrupt(apic_at, 36);
    auto tables = platform.tables();
    ASSERT_FALSE(tables.is_error());
    EXPECT_NE(message(tables->find_table("APIC").error()).find("checksum"), std::string::npos);

    platform.corrupt(fadt_at, 100);
    EXPECT_TRUE(tables->s5_sleep_control().is_error());
    EXPECT_FALSE(tables->reset_register().present);
}

TEST(AcpiTables, DsdtPastTheEndOfMemoryIsAnError)
{
    Platform platform;
    uint32_t length = 0x10000000;
    memcpy(platform.memory.at(dsdt_at) + 4, &length, 4);
    auto s5 = platform.tables()->s5_sleep_control();
    ASSERT_TRUE(s5.is_error());
    EXPECT_NE(message(s5.error()).find("DSDT"), std::string::npos);
}

TEST(AcpiTables, SkipsUnreadableRootEntries)
{
    Platform platform;
    write_table(platform.memory, xsdt_at, "XSDT", entries<uint64_t>({ 0x9000000, apic_at }));
    auto tables = platform.tables();
    ASSERT_FALSE(tables.is_error());
    EXPECT_FALSE(tables->find_table("APIC").is_error());
    EXPECT_TRUE(tables->table_at(0).is_error());
    EXPECT_EQ(tables->find_table("FACP").error().code(), ErrorCode::NotFound);
    EXPECT_TRUE(tables->s5_sleep_control().is_error());
}

TEST(AcpiTables, MissingS5IsNotFound)
{
    Platform platform(sizeof(Fadt), { 0x08, '_', 'S', '4', '_', 0x12, 0x04, 0x02, 0x00, 0x00 });
    EXPECT_EQ(platform.tables()->s5_sleep_control().error().code(), ErrorCode::NotFound);
}

namespace {
ErrorOr<SleepTypes> decode(const std::vector<uint8_t>& aml) { return find_s5_sleep_types(aml); }
} // namespace

TEST(Aml, DecodesS5Encodings)
{
    auto root = decode({ 0x08, '\\', '_', 'S', '5', '_', 0x12, 0x05, 0x02, 0x01, 0x0a, 0x07 });
    ASSERT_FALSE(root.is_error()) << root.error().message();
    EXPECT_EQ(root->a, 1);
    EXPECT_EQ(root->b, 7);

    auto words = decode({ 0x08, '_', 'S', '5', '_', 0x12, 0x0a, 0x02, 0x0b, 0x03, 0x00, 0x0c, 0x02, 0, 0, 0 });
    ASSERT_FALSE(words.is_error()) << words.error().message();
    EXPECT_EQ(words->a, 3);
    EXPECT_EQ(words->b, 2);

    // Two-byte PkgLength: lead 0x4C = one follow byte, low nibble 0xC; 0x00 -> length 12.
    auto long_length = decode({ 0x08, '_', 'S', '5', '_', 0x12, 0x4c, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0, 0, 0, 0, 0 });
    ASSERT_FALSE(long_length.is_error()) << long_length.error().message();
    EXPECT_EQ(long_length->a, 0);

    // A reference to _S5_ (no NameOp) is skipped; the definition after it is used.
    auto reference = decode({ 0x70, '_', 'S', '5', '_', 0x60, 0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x02, 0x0a, 0x05,
                              0x00 });
    ASSERT_FALSE(reference.is_error()) << reference.error().message();
    EXPECT_EQ(reference->a, 5);
    EXPECT_EQ(reference->b, 0);
}

TEST(Aml, RejectsMalformedS5)
{
    auto code = [](const std::vector<uint8_t>& aml) { return decode(aml).error().code(); };
    EXPECT_EQ(code({}), ErrorCode::NotFound);
    EXPECT_EQ(code({ '_', 'S', '5', '_' }), ErrorCode::NotFound);
    EXPECT_EQ(code({ 0x08, '_', 'S', '5', '_' }), ErrorCode::Unsupported);                       // no package
    EXPECT_EQ(code({ 0x08, '_', 'S', '5', '_', 0x0a, 0x05 }), ErrorCode::Unsupported);           // not a package
    EXPECT_EQ(code({ 0x08, '_', 'S', '5', '_', 0x12 }), ErrorCode::Invalid);                     // no PkgLength
    EXPECT_EQ(code({ 0x08, '_', 'S', '5', '_', 0x12, 0x30, 0x02, 0x00, 0x00 }), ErrorCode::Invalid); // past the end
    EXPECT_EQ(code({ 0x08, '_', 'S', '5', '_', 0x12, 0x80, 0x02 }), ErrorCode::Invalid);         // PkgLength bytes missing
    EXPECT_EQ(code({ 0x08, '_', 'S', '5', '_', 0x12, 0x01, 0x02, 0x00, 0x00 }), ErrorCode::Invalid); // length too small
    EXPECT_EQ(code({ 0x08, '_', 'S', '5', '_', 0x12, 0x03, 0x01, 0x00 }), ErrorCode::Invalid);   // one element
    EXPECT_EQ(code({ 0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x0a, 0x09, 0x00 }), ErrorCode::Invalid); // > 7
    EXPECT_EQ(code({ 0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x0a }), ErrorCode::Invalid);   // byte missing
    EXPECT_EQ(code({ 0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x0c, 0x01, 0x00 }), ErrorCode::Invalid); // dword cut
    EXPECT_EQ(code({ 0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x70, 0x00 }), ErrorCode::Unsupported); // not a constant
}

// The PM timer, the TSC's reference when there is no PIT: X_PM_TMR_BLK wins
// when it is in I/O space; PM_TMR_BLK needs PM_TMR_LEN 4; a memory-mapped
// one or none at all is "not present".
TEST(AcpiTables, PmTimerFromLegacyAndExtendedFields)
{
    auto refill = [](Platform& platform, auto change) {
        auto* raw = platform.memory.at(fadt_at);
        Fadt fadt {};
        memcpy(&fadt, raw, sizeof(Fadt));
        change(fadt);
        memcpy(raw, &fadt, sizeof(Fadt));
        raw[offsetof(SdtHeader, checksum)] = 0;
        raw[offsetof(SdtHeader, checksum)] = checksum_byte(raw, sizeof(Fadt));
    };
    Platform none;
    EXPECT_FALSE(none.tables()->pm_timer().present);

    Platform legacy;
    refill(legacy, [](Fadt& f) { f.pm_tmr_blk = 0x608; f.pm_tmr_len = 4; });
    PmTimer timer = legacy.tables()->pm_timer();
    EXPECT_TRUE(timer.present);
    EXPECT_EQ(timer.port, 0x608);
    EXPECT_FALSE(timer.is_32_bit);

    Platform bad_length;
    refill(bad_length, [](Fadt& f) { f.pm_tmr_blk = 0x608; f.pm_tmr_len = 2; });
    EXPECT_FALSE(bad_length.tables()->pm_timer().present);

    Platform extended;
    refill(extended, [](Fadt& f) {
        f.pm_tmr_blk = 0x608;
        f.pm_tmr_len = 4;
        f.flags |= fadt_flag_tmr_val_ext;
        f.x_pm_tmr_blk = { address_space_io, 32, 0, 3, 0xb008 };
    });
    timer = extended.tables()->pm_timer();
    EXPECT_TRUE(timer.present);
    EXPECT_EQ(timer.port, 0xb008);
    EXPECT_TRUE(timer.is_32_bit);

    Platform mmio;
    refill(mmio, [](Fadt& f) { f.x_pm_tmr_blk = { 0, 32, 0, 3, 0xfed00000 }; });
    EXPECT_FALSE(mmio.tables()->pm_timer().present);
}
