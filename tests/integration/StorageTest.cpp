// Large sequential reads through the kernel's own disk driver and FAT16:
// an image with a 32 MiB file in /models (made by the
// integration.image_bigfile fixture from random bytes) is read whole by
// `checksum`, which must print the CRC-32 the host computes from the same
// file, with a progress bar on the way.
#include "tests/integration/QemuSession.h"
#include "tests/integration/TestEnvironment.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <regex>
#include <vector>

namespace fluid::test {
namespace {

uint32_t crc32_of(const std::vector<char>& bytes)
{
    std::array<uint32_t, 256> table {};
    for (uint32_t i = 0; i < 256; ++i) {
        uint32_t c = i;
        for (int k = 0; k < 8; ++k)
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    uint32_t crc = 0xffffffffu;
    for (char b : bytes)
        crc = table[(crc ^ uint8_t(b)) & 0xff] ^ (crc >> 8);
    return crc ^ 0xffffffffu;
}

TEST(Storage, LargeFileChecksumMatchesTheHost)
{
    const char* big = std::getenv("FLUID_TEST_BIGFILE");
    ASSERT_NE(big, nullptr) << "FLUID_TEST_BIGFILE is not set (see tests/integration/CMakeLists.txt)";
    std::ifstream in(big, std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_EQ(bytes.size(), 32u << 20);
    char expected[16];
    std::snprintf(expected, sizeof(expected), "crc32 %08x", crc32_of(bytes));

    double ready = -1;
    auto session = boot(Firmware::Bios, "bigfile", &ready);
    ASSERT_GE(ready, 0) << session->output();
    auto reply = session->command("checksum /models/big.gguf", std::chrono::seconds(300));
    ASSERT_TRUE(reply.has_value()) << session->pending();
    EXPECT_NE(reply->find(expected), std::string::npos) << "expected '" << expected << "' in:\n" << *reply;
    EXPECT_NE(reply->find("33554432 bytes"), std::string::npos) << *reply;
    EXPECT_NE(reply->find("100%"), std::string::npos) << "no progress bar:\n" << *reply;
    std::smatch m;
    if (std::regex_search(*reply, m, std::regex("([0-9]+\\.[0-9]+) MiB/s")))
        RecordProperty("read_mib_per_s", m[1].str());

    // answer.bc was added to this image after it was built.
    EXPECT_NE(session->output().find("jit: module answer (/modules/answer.bc): 1 function(s)"), std::string::npos)
        << session->output();
    auto answer = session->command("jit run --opt 2 answer answer 0", command_timeout());
    ASSERT_TRUE(answer.has_value()) << session->pending();
    EXPECT_NE(answer->find("answer(0) = 42"), std::string::npos) << *answer;
}

}  // namespace
}  // namespace fluid::test
