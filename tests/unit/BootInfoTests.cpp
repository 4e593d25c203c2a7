// Multiboot2 boot information: well-formed input and documented limits.
#include "kernel/boot/BootInfo.h"
#include "tests/unit/MultibootBuilder.h"

#include <gtest/gtest.h>

#include <string>

using namespace fluid;
using namespace fluid::test;

TEST(BootInfo, ParsesEveryKnownTag)
{
    MultibootBuilder builder;
    builder.string_tag(1, "console=serial verbose");
    builder.string_tag(2, "GRUB 2.06");
    std::vector<uint8_t> meminfo;
    MultibootBuilder::put32(meminfo, 639);
    MultibootBuilder::put32(meminfo, 130048);
    builder.tag(4, meminfo);
    builder.tag(6, memory_map({ { 0, 0x9fc00, 1, 0 }, { 0x9fc00, 0x400, 2, 0 }, { 0x100000, 0x7ee0000, 1, 0 },
                                { 0x7fe0000, 0x20000, 3, 0 }, { 0xfffc0000, 0x40000, 2, 0 } }));
    builder.tag(3, module(0x200000, 0x201000, "/modules/a.bc"));
    builder.tag(3, module(0x300000, 0x300800, ""));
    std::vector<uint8_t> fb;
    MultibootBuilder::put64(fb, 0xfd000000);
    MultibootBuilder::put32(fb, 4096);
    MultibootBuilder::put32(fb, 1024);
    MultibootBuilder::put32(fb, 768);
    fb.insert(fb.end(), { 32, 1, 0, 0, 16, 8, 8, 8, 0, 8 });
    builder.tag(8, fb);
    builder.tag(15, rsdp_payload(2, 36));
    builder.tag(14, rsdp_payload(0, 20)); // after the new one: must not replace it
    builder.tag(9, elf_sections({ section(0, 0, 0), section(1, 0x101000, 0x5000), section(2, 0x400000, 0x1800, 3),
                                  section(3, 0x402000, 0x900) }));
    std::vector<uint8_t> efi;
    MultibootBuilder::put64(efi, 0x7f9e018);
    builder.tag(12, efi);
    builder.tag(18, {});
    std::vector<uint8_t> base;
    MultibootBuilder::put32(base, 0x100000);
    builder.tag(21, base);
    builder.tag(0x1234, { 1, 2, 3 }); // unknown: skipped
    builder.end();
    auto parsed = parse(builder);
    ASSERT_FALSE(parsed.result.is_error()) << parsed.result.error().message();
    const BootInfo& info = *parsed.info;

    EXPECT_STREQ(info.command_line, "console=serial verbose");
    EXPECT_STREQ(info.bootloader_name, "GRUB 2.06");
    EXPECT_EQ(info.basic_mem_lower_kib, 639u);
    EXPECT_EQ(info.basic_mem_upper_kib, 130048u);

    ASSERT_EQ(info.region_count, 5u);
    EXPECT_EQ(info.regions[0].base, 0u);
    EXPECT_EQ(info.regions[0].length, 0x9fc00u);
    EXPECT_EQ(info.regions[0].type, MemoryType::Usable);
    EXPECT_EQ(info.regions[1].type, MemoryType::Reserved);
    EXPECT_EQ(info.regions[2].base, 0x100000u);
    EXPECT_EQ(info.regions[3].type, MemoryType::AcpiReclaimable);
    EXPECT_EQ(info.regions[4].base, 0xfffc0000u);

    ASSERT_EQ(info.module_count, 2u);
    EXPECT_EQ(info.modules[0].start, 0x200000u);
    EXPECT_EQ(info.modules[0].end, 0x201000u);
    EXPECT_STREQ(info.modules[0].cmdline, "/modules/a.bc");
    EXPECT_STREQ(info.modules[1].cmdline, "");

    ASSERT_TRUE(info.framebuffer.present);
    EXPECT_EQ(info.framebuffer.address, 0xfd000000u);
    EXPECT_EQ(info.framebuffer.pitch, 4096u);
    EXPECT_EQ(info.framebuffer.width, 1024u);
    EXPECT_EQ(info.framebuffer.height, 768u);
    EXPECT_EQ(info.framebuffer.bpp, 32);
    EXPECT_EQ(info.framebuffer.type, 1);
    EXPECT_EQ(info.framebuffer.red_position, 16);
    EXPECT_EQ(info.framebuffer.red_size, 8);
    EXPECT_EQ(info.framebuffer.green_position, 8);
    EXPECT_EQ(info.framebuffer.blue_position, 0);
    EXPECT_EQ(info.framebuffer.blue_size, 8);

    EXPECT_EQ(info.rsdp_length, 36u);
    ASSERT_NE(info.rsdp_address, 0u);
    auto rsdp = reinterpret_cast<const uint8_t*>(info.rsdp_address);
    EXPECT_EQ(memcmp(rsdp, "RSD PTR ", 8), 0);
    EXPECT_EQ(rsdp[15], 2); // the new RSDP won

    ASSERT_TRUE(info.elf_symbols.present);
    EXPECT_EQ(info.elf_symbols.symtab_address, 0x400000u);
    EXPECT_EQ(info.elf_symbols.symtab_size, 0x1800u);
    EXPECT_EQ(info.elf_symbols.strtab_address, 0x402000u);
    EXPECT_EQ(info.elf_symbols.strtab_size, 0x900u);

    EXPECT_EQ(info.efi64_system_table, 0x7f9e018u);
    EXPECT_TRUE(info.efi_boot_services_not_terminated);
    EXPECT_EQ(info.load_base_address, 0x100000u);
    EXPECT_EQ(info.info_size, builder.size());
    EXPECT_NE(info.info_address, 0u);
}

TEST(BootInfo, OldRsdpOnlyAndMinimalInfo)
{
    MultibootBuilder builder;
    builder.tag(14, rsdp_payload(0, 20)).end();
    auto parsed = parse(builder);
    ASSERT_FALSE(parsed.result.is_error()) << parsed.result.error().message();
    EXPECT_EQ(parsed.info->rsdp_length, 20u);
    EXPECT_EQ(parsed.info->rsdp_address, parsed.info->info_address + 16);
    EXPECT_FALSE(parsed.info->framebuffer.present);
    EXPECT_FALSE(parsed.info->elf_symbols.present);
    EXPECT_EQ(parsed.info->region_count, 0u);
}

TEST(BootInfo, StepsByLargerEntrySize)
{
    MultibootBuilder builder;
    builder.tag(6, memory_map({ { 0x100000, 0x100000, 1, 0 }, { 0x300000, 0x1000, 7, 0 } }, 32)).end();
    auto parsed = parse(builder);
    ASSERT_FALSE(parsed.result.is_error()) << parsed.result.error().message();
    ASSERT_EQ(parsed.info->region_count, 2u);
    EXPECT_EQ(parsed.info->regions[1].base, 0x300000u);
    EXPECT_EQ(parsed.info->regions[1].type, MemoryType::Reserved); // unknown type 7
}

TEST(BootInfo, TruncatesLongStringsSafely)
{
    MultibootBuilder builder;
    builder.string_tag(1, std::string(1000, 'c')).tag(3, module(0x1000, 0x2000, std::string(500, 'm'))).end();
    auto parsed = parse(builder);
    ASSERT_FALSE(parsed.result.is_error());
    EXPECT_EQ(strlen(parsed.info->command_line), sizeof(parsed.info->command_line) - 1);
    EXPECT_EQ(strlen(parsed.info->modules[0].cmdline), sizeof(parsed.info->modules[0].cmdline) - 1);
}

TEST(BootInfo, MergesAdjacentRegionsAndDropsUsableOnOverflow)
{
    std::vector<multiboot2::MemoryMapEntry> entries;
    // 100 contiguous usable pages: merged into one region.
    for (uint64_t i = 0; i < 100; i++)
        entries.push_back({ 0x100000 + i * 0x1000, 0x1000, 1, 0 });
    // 200 separated regions: 150 usable then 50 reserved.
    for (uint64_t i = 0; i < 200; i++)
        entries.push_back({ 0x10000000 + i * 0x2000, 0x1000, i < 150 ? 1u : 2u, 0 });
    MultibootBuilder builder;
    builder.tag(6, memory_map(entries)).end();
    auto parsed = parse(builder);
    ASSERT_FALSE(parsed.result.is_error()) << parsed.result.error().message();
    const BootInfo& info = *parsed.info;
    EXPECT_EQ(info.region_count, BootInfo::max_regions);
    EXPECT_EQ(info.regions[0].length, 100u * 0x1000);
    EXPECT_EQ(info.regions_dropped, 201u - BootInfo::max_regions);
    size_t reserved = 0;
    for (size_t i = 0; i < info.region_count; i++)
        reserved += info.regions[i].type == MemoryType::Reserved;
    EXPECT_EQ(reserved, 50u); // every hole kept
}

TEST(BootInfo, CountsModulesPastTheLimit)
{
    MultibootBuilder builder;
    for (uint32_t i = 0; i < BootInfo::max_modules + 3; i++)
        builder.tag(3, module(i * 0x1000, i * 0x1000 + 0x800, "m"));
    builder.end();
    auto parsed = parse(builder);
    ASSERT_FALSE(parsed.result.is_error());
    EXPECT_EQ(parsed.info->module_count, BootInfo::max_modules);
    EXPECT_EQ(parsed.info->modules_dropped, 3u);
}

TEST(BootInfo, ClampsWrappingRegion)
{
    MultibootBuilder builder;
    builder.tag(6, memory_map({ { 0xfffffffffffff000, 0x10000, 2, 0 } })).end();
    auto parsed = parse(builder);
    ASSERT_FALSE(parsed.result.is_error());
    EXPECT_EQ(parsed.info->regions[0].base + parsed.info->regions[0].length, UINT64_MAX);
}

TEST(BootInfo, NamesMemoryTypes)
{
    EXPECT_STREQ(memory_type_name(MemoryType::Usable), "usable");
    EXPECT_STREQ(memory_type_name(MemoryType::AcpiNvs), "ACPI NVS");
    EXPECT_STREQ(memory_type_name(static_cast<MemoryType>(99)), "unknown");
}
