// Multiboot2 boot information: malformed input must give an Error.
#include "kernel/boot/BootInfo.h"
#include "tests/unit/MultibootBuilder.h"

#include <gtest/gtest.h>

#include <string>

using namespace fluid;
using namespace fluid::test;

TEST(BootInfo, RejectsNullUnalignedAndTinyBuffers)
{
    auto info = std::make_unique<BootInfo>();
    EXPECT_TRUE(parse_multiboot2(nullptr, 64, *info).is_error());
    alignas(8) uint8_t bytes[32] = { 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0 };
    EXPECT_FALSE(parse_multiboot2(bytes, sizeof(bytes), *info).is_error());
    EXPECT_TRUE(parse_multiboot2(bytes + 4, 28, *info).is_error());
    EXPECT_TRUE(parse_multiboot2(bytes, 4, *info).is_error());
}

TEST(BootInfo, RejectsTotalSizeBeyondAvailableBytes)
{
    MultibootBuilder builder;
    builder.string_tag(1, "hello").end();
    auto parsed = parse(builder, 0, builder.size() - 8);
    ASSERT_TRUE(parsed.result.is_error());
    EXPECT_NE(std::string(parsed.result.error().message()).find("total_size"), std::string::npos);
}

TEST(BootInfo, RejectsTotalSizeTooSmall)
{
    MultibootBuilder builder;
    builder.end();
    EXPECT_TRUE(parse(builder, 8).result.is_error());
    EXPECT_TRUE(parse(builder, 12).result.is_error());
}

TEST(BootInfo, RejectsTruncatedTotalSizeCuttingOffEndTag)
{
    MultibootBuilder builder;
    builder.string_tag(1, "console=serial").end();
    auto parsed = parse(builder, uint32_t(builder.size() - 8));
    ASSERT_TRUE(parsed.result.is_error());
    EXPECT_NE(std::string(parsed.result.error().message()).find("end tag"), std::string::npos);
}

TEST(BootInfo, RejectsTagSizePastEnd)
{
    MultibootBuilder builder;
    builder.tag(1, { 'a', 0 }, 4096).end();
    auto parsed = parse(builder);
    ASSERT_TRUE(parsed.result.is_error());
    EXPECT_NE(std::string(parsed.result.error().message()).find("past total_size"), std::string::npos);
}

TEST(BootInfo, RejectsTagSizeBelowHeader)
{
    MultibootBuilder builder;
    builder.tag(1, {}, 4).end();
    EXPECT_TRUE(parse(builder).result.is_error());
}

TEST(BootInfo, RejectsMissingEndTag)
{
    MultibootBuilder builder;
    builder.string_tag(1, "no end");
    EXPECT_TRUE(parse(builder).result.is_error());
}

TEST(BootInfo, RejectsBadMemoryMapEntrySize)
{
    for (uint32_t entry_size : { 0u, 16u, 20u, 28u }) {
        MultibootBuilder builder;
        std::vector<uint8_t> payload;
        MultibootBuilder::put32(payload, entry_size);
        MultibootBuilder::put32(payload, 0);
        payload.resize(payload.size() + 48, 0);
        builder.tag(6, payload).end();
        EXPECT_TRUE(parse(builder).result.is_error()) << "entry_size " << entry_size;
    }
}

TEST(BootInfo, RejectsMemoryMapWithPartialEntry)
{
    MultibootBuilder builder;
    auto payload = memory_map({ { 0x100000, 0x100000, 1, 0 } });
    payload.resize(payload.size() + 8, 0);
    builder.tag(6, payload).end();
    EXPECT_TRUE(parse(builder).result.is_error());
}

TEST(BootInfo, RejectsUnterminatedStrings)
{
    MultibootBuilder cmdline;
    cmdline.tag(1, { 'a', 'b', 'c' }).end();
    EXPECT_TRUE(parse(cmdline).result.is_error());

    MultibootBuilder loader;
    loader.tag(2, {}).end();
    EXPECT_TRUE(parse(loader).result.is_error());

    MultibootBuilder mod;
    auto payload = module(0x1000, 0x2000, "x");
    payload.pop_back();
    mod.tag(3, payload).end();
    EXPECT_TRUE(parse(mod).result.is_error());
}

TEST(BootInfo, RejectsModuleEndingBeforeStart)
{
    MultibootBuilder builder;
    builder.tag(3, module(0x2000, 0x1000, "bad")).end();
    EXPECT_TRUE(parse(builder).result.is_error());
}

TEST(BootInfo, RejectsTooManyHoles)
{
    std::vector<multiboot2::MemoryMapEntry> entries;
    for (uint64_t i = 0; i < BootInfo::max_regions + 1; i++)
        entries.push_back({ i * 0x2000, 0x1000, 2, 0 });
    MultibootBuilder builder;
    builder.tag(6, memory_map(entries)).end();
    EXPECT_TRUE(parse(builder).result.is_error());
}

TEST(BootInfo, ValidatesElfSections)
{
    MultibootBuilder bad_link;
    bad_link.tag(9, elf_sections({ section(0, 0, 0), section(2, 0x1000, 0x100, 9) })).end();
    EXPECT_TRUE(parse(bad_link).result.is_error());

    MultibootBuilder elf32;
    elf32.tag(9, elf_sections({ section(0, 0, 0) }, 40)).end();
    auto parsed = parse(elf32);
    ASSERT_TRUE(parsed.result.is_error());
    EXPECT_EQ(parsed.result.error().code(), ErrorCode::Unsupported);

    MultibootBuilder short_tag;
    auto payload = elf_sections({ section(0, 0, 0), section(2, 0x1000, 0x100, 0) });
    payload.resize(payload.size() - 8);
    short_tag.tag(9, payload).end();
    EXPECT_TRUE(parse(short_tag).result.is_error());

    MultibootBuilder stripped;
    stripped.tag(9, elf_sections({ section(0, 0, 0), section(1, 0x1000, 0x100) })).end();
    parsed = parse(stripped);
    ASSERT_FALSE(parsed.result.is_error());
    EXPECT_FALSE(parsed.info->elf_symbols.present);
}

TEST(BootInfo, RejectsShortFixedTags)
{
    for (uint32_t type : { 3u, 4u, 6u, 8u, 12u, 14u, 15u, 21u }) {
        MultibootBuilder builder;
        builder.tag(type, { 0, 0, 0 }).end();
        EXPECT_TRUE(parse(builder).result.is_error()) << "tag type " << type;
    }
    MultibootBuilder rgb; // RGB framebuffer without its colour info
    std::vector<uint8_t> fb(24, 0);
    fb[21] = 1;
    rgb.tag(8, fb).end();
    EXPECT_TRUE(parse(rgb).result.is_error());
}
