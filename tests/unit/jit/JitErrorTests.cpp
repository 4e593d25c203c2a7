// Bad input must come back as an error value that says what is wrong, never
// as a crash: not bitcode, truncated or corrupt bitcode, bitcode from a
// newer LLVM, IR the verifier rejects, and modules that import symbols the
// kernel does not export.
#include "jit/Engine.h"
#include "tests/unit/jit/JitTestSupport.h"

#include <gtest/gtest.h>

#include <string>

namespace fluid::jit {
namespace {

class JitErrors : public testing::Test {
protected:
    void SetUp() override
    {
        m_engine = test::make_engine();
        ASSERT_TRUE(m_engine);
    }

    // Loads and expects failure; returns the message.
    std::string load_error(const char* name, const std::vector<uint8_t>& bytes, ErrorCode code,
                           OptLevel level = OptLevel::O0)
    {
        auto handle = m_engine->load_module(name, bytes, level);
        EXPECT_TRUE(handle.is_error()) << name << " loaded";
        if (!handle.is_error())
            return {};
        EXPECT_EQ(handle.error().code(), code) << handle.error().message();
        return handle.error().message();
    }

    // After any failure the engine must still work.
    void expect_engine_still_works()
    {
        auto handle = m_engine->load_module("fib", test::read_module("fib"), OptLevel::O1);
        ASSERT_FALSE(handle.is_error()) << handle.error().message();
        EXPECT_EQ(m_engine->call(*handle, "fib", std::vector<int64_t> { 20 }).value(), 6765);
    }

    std::unique_ptr<Engine> m_engine;
};

TEST_F(JitErrors, NotBitcode)
{
    std::vector<uint8_t> elf = { 0x7f, 'E', 'L', 'F', 2, 1, 1, 0 };
    EXPECT_EQ(load_error("elf", elf, ErrorCode::Invalid),
              "module elf: not LLVM bitcode (expected a .bc file; it starts with 7f 45 4c 46)");
    EXPECT_EQ(load_error("empty", {}, ErrorCode::Invalid), "module empty: not LLVM bitcode (expected a .bc file; it starts with)");
    std::string text = "define i64 @f() { ret i64 0 }";
    EXPECT_NE(load_error("text", { text.begin(), text.end() }, ErrorCode::Invalid).find("not LLVM bitcode"),
              std::string::npos);
    expect_engine_still_works();
}

TEST_F(JitErrors, TruncatedBitcode)
{
    auto bitcode = test::read_module("fib");
    std::vector<uint8_t> half(bitcode.begin(), bitcode.begin() + static_cast<ptrdiff_t>(bitcode.size() / 2));
    std::string message = load_error("fib", half, ErrorCode::Invalid);
    EXPECT_EQ(message.rfind("module fib: unreadable bitcode: ", 0), 0u) << message;

    // Every cut, not only the middle one, must fail cleanly.
    for (size_t size = 4; size < bitcode.size(); size += 4) {
        std::vector<uint8_t> cut(bitcode.begin(), bitcode.begin() + static_cast<ptrdiff_t>(size));
        auto handle = m_engine->load_module("cut", cut, OptLevel::O0);
        EXPECT_TRUE(handle.is_error()) << "cut at " << size << " bytes loaded";
    }
    expect_engine_still_works();
}

TEST_F(JitErrors, CorruptBitcodeNeverCrashes)
{
    auto bitcode = test::read_module("matmul");
    // Deterministic damage: flip one byte at many positions past the magic,
    // and smear garbage over a range. Loading may fail or (if the damage hit
    // something harmless) succeed; either way it must return. Corrupt code
    // is never called.
    size_t failures = 0, attempts = 0;
    uint32_t state = 12345;
    for (size_t position = 4; position < bitcode.size(); position += 13) {
        auto damaged = bitcode;
        state = state * 1103515245u + 12345u;
        damaged[position] ^= static_cast<uint8_t>(1u + (state >> 24) % 255u);
        auto handle = m_engine->load_module("damaged", damaged, OptLevel::O2);
        failures += handle.is_error();
        ++attempts;
    }
    for (size_t start = 8; start + 32 < bitcode.size(); start += 97) {
        auto damaged = bitcode;
        for (size_t i = start; i < start + 32; ++i) {
            state = state * 1103515245u + 12345u;
            damaged[i] = static_cast<uint8_t>(state >> 24);
        }
        auto handle = m_engine->load_module("smeared", damaged, OptLevel::O0);
        failures += handle.is_error();
        ++attempts;
    }
    EXPECT_GT(failures, attempts / 2);
    expect_engine_still_works();
}

TEST_F(JitErrors, BitcodeFromANewerLlvm)
{
    // No newer LLVM is installable here (Debian 12's rustc uses LLVM 14), so
    // the file is made: fib.bc with an identification block that names a
    // future producer and another bitcode epoch.
    auto newer = test::with_identification(test::read_module("fib"), "LLVM99.0.0", 1);
    ASSERT_FALSE(newer.empty());
    std::string message = load_error("future", newer, ErrorCode::Unsupported);
    EXPECT_EQ(message.rfind("module future: bitcode from LLVM99.0.0, this is LLVM 19.", 0), 0u) << message;
    EXPECT_NE(message.find("epoch"), std::string::npos) << message;

    // Sanity check of the rewriting itself: our own producer and epoch 0
    // give a file that loads.
    auto same = test::with_identification(test::read_module("fib"), "LLVM19.1.7", 0);
    auto handle = m_engine->load_module("same", same, OptLevel::O0);
    EXPECT_FALSE(handle.is_error()) << handle.error().message();
}

TEST_F(JitErrors, VerifierRejectsInvalidIr)
{
    std::string message = load_error("invalid", test::read_test_module("invalid"), ErrorCode::Invalid);
    EXPECT_EQ(message.rfind("module invalid: invalid IR: ", 0), 0u) << message;
    EXPECT_NE(message.find("does not dominate"), std::string::npos) << message;
    expect_engine_still_works();
}

TEST_F(JitErrors, UndefinedSymbolIsNamed)
{
    EXPECT_EQ(load_error("bad", test::read_test_module("undefined"), ErrorCode::NotFound),
              "module bad: undefined symbol 'printf' (not in the kernel export table)");
    expect_engine_still_works();
}

TEST_F(JitErrors, UndefinedLibcallFromCodeGeneratorIsNamed)
{
    // `frem` becomes a call to fmod only in the code generator; the error
    // comes from JITLink and must name the symbol just the same.
    for (OptLevel level : { OptLevel::O0, OptLevel::O3 }) {
        EXPECT_EQ(load_error("libcall", test::read_test_module("libcall"), ErrorCode::NotFound, level),
                  "module libcall: undefined symbol 'fmod' (not in the kernel export table)");
    }
    EXPECT_TRUE(m_engine->modules().empty());
    expect_engine_still_works();
}

TEST_F(JitErrors, MissingModuleApiEntryIsNamed)
{
    // A platform that exports no fluid_print: a module using it fails.
    EngineConfig config;
    config.cpu = TargetCpu::detect_host();
    ASSERT_FALSE(config.exports.add_runtime_helpers().is_error());
    auto engine = Engine::create(std::move(config));
    ASSERT_FALSE(engine.is_error());
    auto handle = (*engine)->load_module("wide", test::read_module("wide"), OptLevel::O0);
    ASSERT_TRUE(handle.is_error());
    EXPECT_EQ(std::string(handle.error().message()).find("module wide: undefined symbol 'fluid_"), 0u)
        << handle.error().message();
}

} // namespace
} // namespace fluid::jit
