// jit/CodeMap: every linked function's address range, so a faulting
// address in JIT'd code can be named (docs/RELIABILITY.md); unloading a
// module forgets its ranges.
#include "jit/CodeMap.h"
#include "jit/Engine.h"
#include "jit/TierManager.h"
#include "tests/unit/jit/JitTestSupport.h"

#include <gtest/gtest.h>

namespace fluid::jit {
namespace {

TEST(CodeMap, NamesAddressesInsideJitCodeUntilUnload)
{
    auto engine = test::make_engine();
    ASSERT_TRUE(engine);
    size_t before = engine->code_map().size();
    auto handle = engine->load_module("fib", test::read_module("fib"), OptLevel::O2);
    ASSERT_FALSE(handle.is_error()) << handle.error().message();
    EXPECT_GT(engine->code_map().size(), before);

    auto address = engine->lookup(*handle, "fib");
    ASSERT_FALSE(address.is_error()) << address.error().message();
    CodeMap::Location location;
    ASSERT_TRUE(engine->code_map().describe(*address + 3, location));
    EXPECT_EQ(location.function, "fib");
    EXPECT_EQ(location.offset, 3u);
    EXPECT_EQ(location.dylib.substr(0, location.dylib.find('#')), "fib");
    // Outside any JIT'd function: the kernel's own code, say.
    EXPECT_FALSE(engine->code_map().describe(reinterpret_cast<uint64_t>(&test::make_engine), location));

    ASSERT_FALSE(engine->unload(*handle).is_error());
    EXPECT_EQ(engine->code_map().size(), before);
    EXPECT_FALSE(engine->code_map().describe(*address + 3, location));
}

} // namespace
} // namespace fluid::jit

namespace fluid::jit {
namespace {

// The kernel's way: tier 0 through TierManager, every function behind its
// patchable entry. The code the entry leads to is named too.
TEST(CodeMap, NamesTierZeroCode)
{
    auto engine = test::make_engine();
    ASSERT_TRUE(engine);
    TierManager tiers(*engine, TierManager::Platform { nullptr, nullptr });
    auto handle = tiers.load("fib", test::read_module("fib"));
    ASSERT_FALSE(handle.is_error()) << handle.error().message();
    auto address = engine->lookup(*handle, "fib");
    ASSERT_FALSE(address.is_error()) << address.error().message();
    CodeMap::Location location;
    EXPECT_TRUE(engine->code_map().describe(*address, location)) << "size " << engine->code_map().size();
    EXPECT_EQ(location.dylib.substr(0, location.dylib.find('#')), "fib");
    // The entry jumps to the O0 body, an internal function ("fib.t0"): its
    // code is named although its symbol is pruned during the link.
    auto body = engine->lookup_any(*handle, "__fluid.slot.fib");
    ASSERT_FALSE(body.is_error()) << body.error().message();
    uint64_t body_address = *reinterpret_cast<const uint64_t*>(*body);
    ASSERT_TRUE(engine->code_map().describe(body_address + 1, location));
    EXPECT_EQ(location.function, "fib.t0");
    EXPECT_EQ(location.offset, 1u);
    auto result = engine->call(*handle, "fib", std::vector<int64_t> { 10 });
    ASSERT_FALSE(result.is_error());
    EXPECT_EQ(*result, 55);
}

} // namespace
} // namespace fluid::jit
