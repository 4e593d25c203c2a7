// The set-up the TierManager tests share: an engine from make_config(), a
// TierManager on it that __fluid_jit_hot calls reach, and helpers that fail
// the test on error (TieringTests.cpp, TierManagerUnloadTests.cpp).
#pragma once

#include "jit/TierManager.h"
#include "tests/unit/jit/JitTestSupport.h"

#include <gtest/gtest.h>

#include <chrono>
#include <climits>
#include <memory>
#include <vector>

namespace fluid::jit::test {

inline uint64_t steady_now_ns()
{
    return uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(
                        std::chrono::steady_clock::now().time_since_epoch())
                        .count());
}

class TierTestFixture : public testing::Test {
protected:
    void SetUp() override
    {
        m_engine = make_engine();
        ASSERT_TRUE(m_engine);
        m_tiers = std::make_unique<TierManager>(*m_engine, TierManager::Platform { steady_now_ns, nullptr });
        hot_target().store(m_tiers.get());
    }
    void TearDown() override { hot_target().store(nullptr); }

    ModuleHandle load(const char* name)
    {
        auto handle = m_tiers->load(name, read_module(name));
        EXPECT_FALSE(handle.is_error()) << handle.error().message();
        return handle.is_error() ? ModuleHandle {} : *handle;
    }

    int64_t call(ModuleHandle handle, const char* function, std::vector<int64_t> args)
    {
        auto result = m_engine->call(handle, function, args);
        EXPECT_FALSE(result.is_error()) << result.error().message();
        return result.is_error() ? INT64_MIN : *result;
    }

    const TierFunctionProfile* profile_of(const char* name)
    {
        m_profile = m_tiers->profile();
        for (auto& p : m_profile)
            if (p.name == name)
                return &p;
        return nullptr;
    }

    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<TierManager> m_tiers;
    std::vector<TierFunctionProfile> m_profile;
};

} // namespace fluid::jit::test
