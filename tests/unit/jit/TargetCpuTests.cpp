// jit::TargetCpu's reading of LLVM feature strings: the order of the flags
// and what each implies, as LLVM's code generator applies them.
#include "jit/TargetCpu.h"

#include <gtest/gtest.h>

namespace fluid::jit {
namespace {

TargetCpu cpu(const char* features) { return TargetCpu(TargetCpu::default_triple, "x86-64", features); }

TEST(TargetCpuFeatures, LaterFlagsWinAndImplicationsCount)
{
    EXPECT_TRUE(cpu("+avx,+avx2").has_feature("avx2"));
    EXPECT_FALSE(cpu("+avx2,-avx2").has_feature("avx2"));
    EXPECT_TRUE(cpu("+avx2").has_feature("avx")) << "+avx2 implies +avx";
    EXPECT_FALSE(cpu("+avx,+avx2,+fma,-avx").has_feature("fma")) << "-avx takes what is built on it";
    EXPECT_FALSE(cpu("+avx,+avx2,+fma,-avx").has_feature("avx2"));
    EXPECT_FALSE(cpu("").has_feature("sse2")) << "flags only; the CPU name is not read";
    EXPECT_TRUE(cpu("+sse4.2,+popcnt").has_feature("popcnt"));
    EXPECT_FALSE(cpu("+avx512f").has_feature("avx512bw"));
}

TEST(TargetCpuFeatures, WithoutFeaturesRewritesTheFlagsInPlace)
{
    TargetCpu full = cpu("+aes,+avx,+avx2,+avx512f,+f16c,+fma,+sse4.2,+vaes,+xsave");
    TargetCpu sse = full.without_features({ "avx" });
    EXPECT_EQ(sse.features(), "+aes,-avx,-avx2,-avx512f,-f16c,-fma,+sse4.2,-vaes,+xsave");
    EXPECT_FALSE(sse.has_feature("avx2"));
    EXPECT_TRUE(sse.has_feature("sse4.2"));
    EXPECT_EQ(sse.name(), full.name());
    EXPECT_EQ(sse.triple(), full.triple());
    // A feature the string does not mention is turned off explicitly.
    EXPECT_EQ(cpu("+sse2").without_features({ "avx" }).features(), "+sse2,-avx");
}

} // namespace
} // namespace fluid::jit
