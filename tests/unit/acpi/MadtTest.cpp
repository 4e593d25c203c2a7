// MADT and HPET parsing against real tables: QEMU 7.2's `pc` machine with
// -smp 4, dumped by the kernel's `acpi dump APIC` / `acpi dump HPET` (the
// same bytes under SeaBIOS and OVMF), plus malformed variants of them.
#include "kernel/acpi/Hpet.h"
#include "kernel/acpi/Madt.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

using fluid::HpetInfo;
using fluid::Madt;

namespace {

std::vector<uint8_t> load(const char* name)
{
    std::ifstream in(std::string(FLUID_SOURCE_DIR "/tests/unit/acpi/data/") + name, std::ios::binary);
    return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

} // namespace

TEST(Madt, ParsesQemusTableForFourCpus)
{
    auto bytes = load("qemu-pc-smp4-apic.bin");
    ASSERT_EQ(bytes.size(), 144u);
    auto madt = Madt::parse(bytes);
    ASSERT_FALSE(madt.is_error()) << madt.error().message();
    EXPECT_EQ(madt->local_apic_address(), 0xfee00000u);
    EXPECT_TRUE(madt->has_legacy_pics());
    ASSERT_EQ(madt->processors().size(), 4u);
    for (uint32_t i = 0; i < 4; ++i) {
        EXPECT_EQ(madt->processors()[i].acpi_uid, i);
        EXPECT_EQ(madt->processors()[i].apic_id, i);
        EXPECT_TRUE(madt->processors()[i].enabled);
        EXPECT_FALSE(madt->processors()[i].x2apic);
    }
    ASSERT_EQ(madt->io_apics().size(), 1u);
    EXPECT_EQ(madt->io_apics()[0].address, 0xfec00000u);
    EXPECT_EQ(madt->io_apics()[0].gsi_base, 0u);
    // QEMU routes the PIT (IRQ 0) to GSI 2 and makes the PCI IRQs level-triggered.
    EXPECT_EQ(madt->gsi_for_isa_irq(0), 2u);
    EXPECT_EQ(madt->gsi_for_isa_irq(4), 4u); // COM1: no override
    EXPECT_EQ(madt->overrides().size(), 5u);
    ASSERT_EQ(madt->nmis().size(), 1u);
    EXPECT_EQ(madt->nmis()[0].acpi_uid, 0xffu);
    EXPECT_EQ(madt->nmis()[0].lint, 1u);
}

TEST(Madt, RejectsAnEntryRunningPastTheEnd)
{
    auto bytes = load("qemu-pc-smp4-apic.bin");
    bytes[45] = 200; // the first entry claims 200 bytes
    auto madt = Madt::parse(bytes);
    ASSERT_TRUE(madt.is_error());
    EXPECT_NE(std::string(madt.error().message()).find("offset 44"), std::string::npos) << madt.error().message();
}

TEST(Madt, RejectsZeroLengthEntriesAndTruncation)
{
    auto bytes = load("qemu-pc-smp4-apic.bin");
    auto zero = bytes;
    zero[45] = 0; // would loop forever if accepted
    EXPECT_TRUE(Madt::parse(zero).is_error());
    auto short_entry = bytes;
    short_entry[45] = 4; // a local APIC entry needs 8 bytes
    EXPECT_TRUE(Madt::parse(short_entry).is_error());
    std::vector<uint8_t> truncated(bytes.begin(), bytes.begin() + 100);
    EXPECT_TRUE(Madt::parse(truncated).is_error()) << "length says 144, only 100 given";
    std::vector<uint8_t> tiny(bytes.begin(), bytes.begin() + 40);
    EXPECT_TRUE(Madt::parse(tiny).is_error());
}

TEST(Madt, ReadsX2ApicEntriesAndDisabledProcessors)
{
    auto bytes = load("qemu-pc-smp4-apic.bin");
    bytes[44 + 4] = 0;                            // processor 0 disabled
    const uint8_t x2apic[16] = { 9, 16, 0, 0, 0x00, 0x01, 0, 0, 1, 0, 0, 0, 7, 0, 0, 0 }; // id 256, uid 7
    bytes.insert(bytes.end(), x2apic, x2apic + 16);
    uint32_t length = uint32_t(bytes.size());
    memcpy(bytes.data() + 4, &length, 4);
    auto madt = Madt::parse(bytes);
    ASSERT_FALSE(madt.is_error()) << madt.error().message();
    ASSERT_EQ(madt->processors().size(), 5u);
    EXPECT_FALSE(madt->processors()[0].enabled);
    EXPECT_TRUE(madt->processors()[4].x2apic);
    EXPECT_EQ(madt->processors()[4].apic_id, 256u);
    EXPECT_EQ(madt->processors()[4].acpi_uid, 7u);
}

TEST(Hpet, ParsesQemusTable)
{
    auto bytes = load("qemu-pc-smp4-hpet.bin");
    auto hpet = fluid::parse_hpet(bytes);
    ASSERT_FALSE(hpet.is_error()) << hpet.error().message();
    EXPECT_EQ(hpet->address, 0xfed00000u);
    EXPECT_EQ(hpet->vendor_id, 0x8086u);
    EXPECT_EQ(hpet->comparator_count, 3u);
    EXPECT_TRUE(hpet->counter_is_64_bit);
}

TEST(Hpet, RejectsIoSpaceAndMisalignedBases)
{
    auto bytes = load("qemu-pc-smp4-hpet.bin");
    auto io = bytes;
    io[40] = 1;
    EXPECT_TRUE(fluid::parse_hpet(io).is_error());
    auto odd = bytes;
    odd[44] = 0x10;
    EXPECT_TRUE(fluid::parse_hpet(odd).is_error());
    std::vector<uint8_t> short_table(bytes.begin(), bytes.begin() + 50);
    EXPECT_TRUE(fluid::parse_hpet(short_table).is_error());
}
