#include "kernel/lib/ElfSymbolTable.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

using fluid::ElfSymbolTable;

namespace {

struct [[gnu::packed]] Sym {
    uint32_t name;
    uint8_t info, other;
    uint16_t section;
    uint64_t value, size;
};

constexpr uint8_t func = 2, object = 1;

} // namespace

TEST(ElfSymbolTable, FindsContainingFunction)
{
    const char strings[] = "\0alpha\0beta\0data";
    std::vector<Sym> syms = {
        { 0, 0, 0, 0, 0, 0 },
        { 1, func, 0, 1, 0x1000, 0x20 },
        { 7, func, 0, 1, 0x1020, 0x10 },
        { 12, object, 0, 2, 0x1024, 8 },
    };
    ElfSymbolTable table;
    ASSERT_FALSE(table.init(syms.data(), syms.size() * sizeof(Sym), strings, sizeof(strings)).is_error());
    EXPECT_EQ(table.function_count(), 2u);
    uint64_t offset = 0;
    EXPECT_STREQ(table.lookup(0x1004, &offset), "alpha");
    EXPECT_EQ(offset, 4u);
    EXPECT_STREQ(table.lookup(0x1025, &offset), "beta");
    EXPECT_EQ(offset, 5u);
    EXPECT_EQ(table.lookup(0x1030, &offset), nullptr);
    EXPECT_EQ(table.lookup(0x0fff, &offset), nullptr);
    EXPECT_EQ(table.address_of("beta"), 0x1020u);
    EXPECT_EQ(table.address_of("data"), 0u);
}

TEST(ElfSymbolTable, RejectsNameOutsideStringTable)
{
    const char strings[] = "\0a";
    Sym bad { 100, func, 0, 1, 0x1000, 4 };
    ElfSymbolTable table;
    auto result = table.init(&bad, sizeof(bad), strings, sizeof(strings));
    ASSERT_TRUE(result.is_error());
    EXPECT_NE(strstr(result.error().message(), "past the string table"), nullptr);
    EXPECT_FALSE(table.is_loaded());
}

TEST(ElfSymbolTable, RejectsRaggedSizeAndUnterminatedStrings)
{
    const char strings[] = { 'a', 'b' };
    Sym s { 0, func, 0, 1, 0, 0 };
    ElfSymbolTable table;
    EXPECT_TRUE(table.init(&s, sizeof(s) - 1, "\0", 1).is_error());
    EXPECT_TRUE(table.init(&s, sizeof(s), strings, sizeof(strings)).is_error());
}
