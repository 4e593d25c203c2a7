#include "kernel/fs/FatName.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

using fluid::FatName;

namespace {

std::string as_text(const uint8_t (&name)[11]) { return std::string(reinterpret_cast<const char*>(name), 11); }

std::string basis_of(const char* name, bool& tail)
{
    uint8_t basis[11];
    FatName::basis_name(name, basis, tail);
    return as_text(basis);
}

} // namespace

TEST(FatName, BasisAndNumericTail)
{
    bool tail = false;
    EXPECT_EQ(basis_of("Once Upon.gguf", tail), "ONCEUPONGGU");
    EXPECT_TRUE(tail);
    uint8_t basis[11], alias[11];
    FatName::basis_name("Once Upon.gguf", basis, tail);
    FatName::with_tail(basis, 1, alias);
    EXPECT_EQ(as_text(alias), "ONCEUP~1GGU");
    FatName::with_tail(basis, 12345, alias);
    EXPECT_EQ(as_text(alias), "ON~12345GGU");
    EXPECT_EQ(basis_of(".profile", tail), "PROFILE    ");
    EXPECT_TRUE(tail);
    EXPECT_EQ(basis_of("a+b.txt", tail), "A_B     TXT");
    EXPECT_TRUE(tail);
    EXPECT_EQ(basis_of("Readme.Txt", tail), "README  TXT");
    EXPECT_FALSE(tail); // only the case differs: README.TXT plus a long name
    EXPECT_EQ(basis_of("caf\xC3\xA9.bin", tail), "CAF_    BIN");
    EXPECT_TRUE(tail);
    FatName::basis_name("ab", basis, tail);
    FatName::with_tail(basis, 3, alias);
    EXPECT_EQ(as_text(alias), "AB~3       ");
}

TEST(FatName, ShortNamesAndCaseBits)
{
    uint8_t name[11];
    uint8_t flags = 0;
    ASSERT_TRUE(FatName::fits_short("readme.txt", name, flags));
    EXPECT_EQ(as_text(name), "README  TXT");
    EXPECT_EQ(flags, 0x18);
    EXPECT_EQ(FatName::short_to_display(name, flags), "readme.txt");
    ASSERT_TRUE(FatName::fits_short("KERNEL.elf", name, flags));
    EXPECT_EQ(flags, 0x10);
    EXPECT_EQ(FatName::short_to_display(name, 0), "KERNEL.ELF");
    EXPECT_FALSE(FatName::fits_short("Readme.txt", name, flags));
    EXPECT_FALSE(FatName::fits_short("toolongname.txt", name, flags));
    EXPECT_FALSE(FatName::fits_short("a.b.c", name, flags));
    EXPECT_FALSE(FatName::fits_short("a b.txt", name, flags));
    EXPECT_FALSE(FatName::fits_short("a.text", name, flags));
}

TEST(FatName, ChecksumMatchesSpecExample)
{
    // [FAT] "FAT Long Directory Entries": the rotate-right-and-add sum.
    const uint8_t name[11] = { 'O', 'N', 'C', 'E', 'U', 'P', '~', '1', 'G', 'G', 'U' };
    uint8_t sum = 0;
    for (uint8_t byte : name)
        sum = uint8_t(((sum & 1) << 7) + (sum >> 1) + byte);
    EXPECT_EQ(FatName::checksum(name), sum);
}

TEST(FatName, ValidatesAndConvertsLongNames)
{
    EXPECT_FALSE(FatName::validate_long_name("Once Upon.gguf").is_error());
    EXPECT_FALSE(FatName::validate_long_name(".hidden").is_error());
    for (const char* bad : { "", ".", "..", "a/b", "a:b", "a*", "q?", "trailing.", "trailing ", "\x01" })
        EXPECT_TRUE(FatName::validate_long_name(bad).is_error()) << bad;
    EXPECT_TRUE(FatName::validate_long_name(std::string(256, 'a')).is_error());
    EXPECT_FALSE(FatName::validate_long_name(std::string(255, 'a')).is_error());
    EXPECT_TRUE(FatName::validate_long_name("bad \xC3").is_error());

    const std::string text = "caf\xC3\xA9 \xF0\x9F\x98\x80";
    auto units = FatName::to_ucs2(text);
    ASSERT_FALSE(units.is_error());
    EXPECT_EQ(units->size(), 7u); // the emoji is a surrogate pair
    EXPECT_EQ(FatName::from_ucs2(units->data(), units->size()), text);
    const uint16_t lone[] = { 'a', 0xD800, 'b' };
    EXPECT_EQ(FatName::from_ucs2(lone, 3), "a?b");
    EXPECT_TRUE(FatName::equals_ignoring_case("Once Upon.GGUF", "once upon.gguf"));
    EXPECT_FALSE(FatName::equals_ignoring_case("once", "onc"));
}
