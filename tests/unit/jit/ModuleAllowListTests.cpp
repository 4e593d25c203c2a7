// The /modules/ALLOWED manifest: sha256sum's own output parses, anything
// else is an error naming the line, and a malformed manifest refuses every
// module (fail closed).
#include "jit/ModuleAllowList.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fluid::jit {
namespace {

constexpr const char* source = "/modules/ALLOWED";

std::span<const uint8_t> bytes(std::string_view text) { return { reinterpret_cast<const uint8_t*>(text.data()), text.size() }; }

// Digests `printf %s TEXT | sha256sum` printed, so the oracle is coreutils,
// not the code under test.
constexpr const char* abc_sha256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
constexpr const char* empty_sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

std::string message(const ErrorOr<ModuleAllowList>& parsed) { return parsed.is_error() ? parsed.error().message() : ""; }

TEST(ModuleAllowList, Sha256MatchesCoreutils)
{
    EXPECT_EQ(ModuleAllowList::hex(ModuleAllowList::sha256(bytes("abc"))), abc_sha256);
    EXPECT_EQ(ModuleAllowList::hex(ModuleAllowList::sha256(bytes(""))), empty_sha256);
}

TEST(ModuleAllowList, ParsesSha256sumOutput)
{
    std::string text = std::string(abc_sha256) + "  abc.bc\n" + empty_sha256 + " *empty.bc\n";
    auto parsed = ModuleAllowList::parse(source, text);
    ASSERT_FALSE(parsed.is_error()) << message(parsed);
    ASSERT_EQ(parsed->entries().size(), 2u);
    EXPECT_EQ(parsed->state(), ModuleAllowList::State::Active);
    EXPECT_EQ(parsed->entries()[0].name, "abc.bc");
    EXPECT_EQ(parsed->entries()[0].line, 1u);
    EXPECT_EQ(ModuleAllowList::hex(parsed->entries()[0].sha256), abc_sha256);
    EXPECT_EQ(parsed->entries()[1].name, "empty.bc"); // binary mode: " *name"
    EXPECT_EQ(ModuleAllowList::hex(parsed->entries()[1].sha256), empty_sha256);
}

TEST(ModuleAllowList, CommentsBlankLinesCrlfUpperCaseHexAndPaths)
{
    std::string upper(abc_sha256);
    for (char& c : upper)
        c = char(toupper(c));
    std::string text = "# made with sha256sum\r\n\r\n   \t\r\n  # indented comment\r\n" + upper
        + "  modules/abc.bc\r\n" + empty_sha256 + "  name with spaces.bc"; // no final newline
    auto parsed = ModuleAllowList::parse(source, text);
    ASSERT_FALSE(parsed.is_error()) << message(parsed);
    ASSERT_EQ(parsed->entries().size(), 2u);
    EXPECT_EQ(parsed->entries()[0].name, "abc.bc"); // the path's last component, no '\r'
    EXPECT_EQ(parsed->entries()[0].line, 5u);
    EXPECT_EQ(ModuleAllowList::hex(parsed->entries()[0].sha256), abc_sha256);
    EXPECT_EQ(parsed->entries()[1].name, "name with spaces.bc");
}

struct BadManifest {
    std::string text;
    const char* expected; // a part of the message
};

TEST(ModuleAllowList, MalformedLinesNameTheLineAndTheProblem)
{
    std::string good = std::string(abc_sha256) + "  abc.bc\n";
    std::string short_hash = std::string(abc_sha256).substr(0, 63);
    std::string bad_hex = std::string(abc_sha256);
    bad_hex[10] = 'g';
    const std::vector<BadManifest> cases = {
        { good + short_hash + "  fib.bc\n", "/modules/ALLOWED line 2: the hash has 63 hex digits; a SHA-256 has 64" },
        { good + abc_sha256 + "0  fib.bc\n", "line 2: the hash has 65 hex digits" },
        { "# x\n" + bad_hex + "  fib.bc\n", "line 2: column 11 (byte 0x67) is not a hex digit" },
        { good + abc_sha256 + "\n", "line 2: no file name after the hash" },
        { good + abc_sha256 + "  \n", "line 2: no file name after the hash" },
        { good + abc_sha256 + "  modules/\n", "line 2: no file name after the hash" },
        { good + abc_sha256 + " fib.bc\n", "line 2: expected two spaces or \" *\" between the hash and the file name" },
        { good + abc_sha256 + "\tfib.bc\n", "line 2: expected two spaces" },
        { good + "\\" + abc_sha256 + "  a\\nb.bc\n", "line 2: escaped file names" },
        { "SHA256 (fib.bc) = " + std::string(abc_sha256) + "\n", "line 1: BSD format (sha256sum --tag)" },
        { good + abc_sha256 + "  a\x01.bc\n", "line 2: the file name has a control character" },
        { "fib.bc\n", "line 1: column 2 (byte 0x69) is not a hex digit" }, // f is hex, i is not
        { good + empty_sha256 + "  ABC.BC\n", "line 2: ABC.BC is listed twice (first on line 1)" },
        { good + "# again\n" + abc_sha256 + " *dir/abc.bc\n", "line 3: abc.bc is listed twice (first on line 1)" },
        { "", "/modules/ALLOWED lists no modules" },
        { "# only comments\n\n", "lists no modules" },
    };
    for (const BadManifest& c : cases) {
        auto parsed = ModuleAllowList::parse(source, c.text);
        ASSERT_TRUE(parsed.is_error()) << "accepted: " << c.text;
        EXPECT_NE(std::string(parsed.error().message()).find(c.expected), std::string::npos)
            << "got: " << parsed.error().message() << "\nwanted: " << c.expected;
    }
}

TEST(ModuleAllowList, OversizedManifestIsRefused)
{
    std::string huge(ModuleAllowList::max_bytes + 1, '#');
    auto parsed = ModuleAllowList::parse(source, huge);
    ASSERT_TRUE(parsed.is_error());
    EXPECT_NE(std::string(parsed.error().message()).find("at most"), std::string::npos) << parsed.error().message();
}

TEST(ModuleAllowList, AbsentManifestAllowsEverything)
{
    ModuleAllowList none;
    EXPECT_EQ(none.state(), ModuleAllowList::State::Absent);
    EXPECT_FALSE(none.check("anything.bc", bytes("whatever")).is_error());
}

TEST(ModuleAllowList, ModuleLoadsOnlyWithItsNameAndHash)
{
    std::string text = std::string(abc_sha256) + "  abc.bc\n" + empty_sha256 + "  empty.bc\n";
    auto list = ModuleAllowList::from_manifest(source, text);
    ASSERT_EQ(list.state(), ModuleAllowList::State::Active) << list.problem();
    EXPECT_FALSE(list.check("abc.bc", bytes("abc")).is_error());
    EXPECT_FALSE(list.check("ABC.BC", bytes("abc")).is_error()) << "FAT names ignore case";
    EXPECT_FALSE(list.check("/modules/abc.bc", bytes("abc")).is_error());

    auto changed = list.check("abc.bc", bytes("abd"));
    ASSERT_TRUE(changed.is_error());
    std::string abd = ModuleAllowList::hex(ModuleAllowList::sha256(bytes("abd")));
    EXPECT_EQ(std::string(changed.error().message()),
              "refused: its SHA-256 " + abd + " is not the one /modules/ALLOWED line 1 gives for abc.bc");

    auto unlisted = list.check("evil.bc", bytes("evil"));
    ASSERT_TRUE(unlisted.is_error());
    std::string evil = ModuleAllowList::hex(ModuleAllowList::sha256(bytes("evil")));
    EXPECT_EQ(std::string(unlisted.error().message()), "refused: its SHA-256 " + evil + " is not in /modules/ALLOWED");

    // The right bytes under a name the manifest does not give them.
    auto renamed = list.check("other.bc", bytes("abc"));
    ASSERT_TRUE(renamed.is_error());
    EXPECT_EQ(std::string(renamed.error().message()),
              "refused: /modules/ALLOWED lists its SHA-256 for abc.bc (line 1), not for other.bc");
}

TEST(ModuleAllowList, MalformedManifestRefusesEveryModule)
{
    std::string text = std::string(abc_sha256) + "  abc.bc\n" + "oops\n";
    auto list = ModuleAllowList::from_manifest(source, text);
    ASSERT_EQ(list.state(), ModuleAllowList::State::Broken);
    EXPECT_NE(list.problem().find("/modules/ALLOWED line 2:"), std::string::npos) << list.problem();
    EXPECT_TRUE(list.entries().empty());
    // Even the module the good line lists.
    auto listed = list.check("abc.bc", bytes("abc"));
    ASSERT_TRUE(listed.is_error());
    EXPECT_EQ(std::string(listed.error().message()).rfind("refused: /modules/ALLOWED line 2:", 0), 0u)
        << listed.error().message();
    EXPECT_TRUE(list.check("other.bc", bytes("x")).is_error());
}

} // namespace
} // namespace fluid::jit
