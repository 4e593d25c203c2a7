// Odd MADTs from real firmware: disabled entries, a processor listed in
// both a local APIC and an x2APIC entry, x2APIC ids a CPU in xAPIC mode
// cannot reach, the invalid id 0xffffffff, a boot CPU missing from the
// table. The rest start; each odd enabled entry is reported with a reason.
#include "kernel/acpi/ProcessorSelection.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

using namespace fluid;

namespace {

constexpr uint32_t xapic_limit = 0xfe, x2apic_limit = 0xfffffffe;

MadtProcessor cpu(uint32_t uid, uint32_t id, bool enabled = true, bool x2apic = false)
{
    return { uid, id, enabled, false, x2apic };
}

std::string reason_for(const ProcessorSelection& s, uint32_t id)
{
    for (const auto& skipped : s.skipped)
        if (skipped.apic_id == id)
            return skipped.reason;
    return "";
}

} // namespace

TEST(ProcessorSelection, WellFormedTableStartsEveryOtherCpu)
{
    MadtProcessor table[] = { cpu(0, 0), cpu(1, 1), cpu(2, 2), cpu(3, 3) };
    auto s = select_processors(table, 0, xapic_limit);
    EXPECT_TRUE(s.boot_listed);
    EXPECT_EQ(s.boot_acpi_uid, 0u);
    ASSERT_EQ(s.to_start.size(), 3u);
    EXPECT_EQ(s.to_start[0].apic_id, 1u);
    EXPECT_TRUE(s.skipped.empty());
    EXPECT_EQ(s.disabled, 0u);
}

TEST(ProcessorSelection, DisabledEntriesAreCountedNotStarted)
{
    // A server board listing 64 sockets' worth of entries, 4 of them real.
    std::vector<MadtProcessor> table;
    for (uint32_t i = 0; i < 64; ++i)
        table.push_back(cpu(i, i, i < 4));
    auto s = select_processors(table, 0, xapic_limit);
    EXPECT_EQ(s.to_start.size(), 3u);
    EXPECT_EQ(s.disabled, 60u);
    EXPECT_TRUE(s.skipped.empty());
}

TEST(ProcessorSelection, X2ApicOnlyEntries)
{
    // x2APIC-only tables (ids above 254) start in x2APIC mode; in xAPIC
    // mode the ones above 254 are reported as unreachable.
    MadtProcessor table[] = { cpu(0, 0, true, true), cpu(1, 1, true, true), cpu(2, 256, true, true),
                              cpu(3, 0x1000, true, true) };
    auto x2 = select_processors(table, 0, x2apic_limit);
    EXPECT_EQ(x2.to_start.size(), 3u);
    EXPECT_TRUE(x2.skipped.empty());
    auto x1 = select_processors(table, 0, xapic_limit);
    ASSERT_EQ(x1.to_start.size(), 1u);
    EXPECT_EQ(x1.to_start[0].apic_id, 1u);
    EXPECT_EQ(reason_for(x1, 256), "APIC id not addressable in xAPIC mode");
    EXPECT_EQ(reason_for(x1, 0x1000), "APIC id not addressable in xAPIC mode");
}

TEST(ProcessorSelection, DuplicatesAndInvalidIdsAreReportedOnce)
{
    MadtProcessor table[] = {
        cpu(0, 0), cpu(1, 1), cpu(2, 2),
        cpu(10, 1, true, true),          // CPU 1 again, as an x2APIC entry
        cpu(11, 0, true, true),          // the boot CPU again
        cpu(12, 0xffffffff, true, true), // "unused" marker with the enabled bit set
        cpu(13, 0xff),                   // the xAPIC broadcast id
    };
    auto s = select_processors(table, 0, xapic_limit);
    ASSERT_EQ(s.to_start.size(), 2u);
    EXPECT_EQ(s.to_start[0].acpi_uid, 1u) << "the first entry for an id wins";
    ASSERT_EQ(s.skipped.size(), 4u);
    EXPECT_STREQ(s.skipped[0].reason, "listed twice in the MADT");
    EXPECT_EQ(s.skipped[0].apic_id, 1u);
    EXPECT_STREQ(s.skipped[1].reason, "listed twice in the MADT");
    EXPECT_EQ(s.skipped[1].apic_id, 0u);
    EXPECT_STREQ(s.skipped[2].reason, "invalid APIC id 0xffffffff");
    EXPECT_STREQ(s.skipped[3].reason, "APIC id not addressable in xAPIC mode");
}

TEST(ProcessorSelection, BootCpuMissingOrDisabledInTheTable)
{
    // Firmware that lists the boot CPU as disabled, or not at all: the
    // others still start, and the caller is told.
    MadtProcessor table[] = { cpu(0, 0, false), cpu(1, 2), cpu(2, 4) };
    auto s = select_processors(table, 0, xapic_limit);
    EXPECT_FALSE(s.boot_listed);
    EXPECT_EQ(s.to_start.size(), 2u);
    EXPECT_EQ(s.disabled, 1u);
    auto absent = select_processors(std::span(table + 1, 2), 6, xapic_limit);
    EXPECT_FALSE(absent.boot_listed);
    EXPECT_EQ(absent.to_start.size(), 2u);
}

TEST(ProcessorSelection, EmptyTable)
{
    auto s = select_processors({}, 0, xapic_limit);
    EXPECT_FALSE(s.boot_listed);
    EXPECT_TRUE(s.to_start.empty());
}
