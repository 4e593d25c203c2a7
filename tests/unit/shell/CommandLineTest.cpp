#include "kernel/shell/CommandLine.h"

#include <gtest/gtest.h>

using fluid::CommandLine;

TEST(CommandLine, SplitsOnSpaces)
{
    auto line = CommandLine::parse("  jit   run fib  30 ");
    ASSERT_FALSE(line.is_error());
    ASSERT_EQ(line->count(), 4u);
    EXPECT_EQ((*line)[0], "jit");
    EXPECT_EQ((*line)[1], "run");
    EXPECT_EQ((*line)[2], "fib");
    EXPECT_EQ((*line)[3], "30");
    EXPECT_EQ((*line)[4], "");
}

TEST(CommandLine, QuotesGroupWordsAndEscape)
{
    auto line = CommandLine::parse(R"(generate "Once upon a time" --say "a \"b\" c\\")");
    ASSERT_FALSE(line.is_error());
    ASSERT_EQ(line->count(), 4u);
    EXPECT_EQ((*line)[1], "Once upon a time");
    EXPECT_EQ((*line)[3], R"(a "b" c\)");
}

TEST(CommandLine, EmptyQuotedArgument)
{
    auto line = CommandLine::parse(R"(echo "" x)");
    ASSERT_FALSE(line.is_error());
    ASSERT_EQ(line->count(), 3u);
    EXPECT_EQ((*line)[1], "");
}

TEST(CommandLine, RejectsUnterminatedQuote)
{
    auto line = CommandLine::parse(R"(echo "abc)");
    ASSERT_TRUE(line.is_error());
    EXPECT_STREQ(line.error().message(), "unterminated quote");
}

TEST(CommandLine, RejectsTooManyArguments)
{
    std::string text;
    for (size_t i = 0; i <= CommandLine::max_arguments; ++i)
        text += "a ";
    auto line = CommandLine::parse(text);
    ASSERT_TRUE(line.is_error());
}

TEST(CommandLine, FlagsAfterTheCommand)
{
    auto line = CommandLine::parse("mem --json");
    ASSERT_FALSE(line.is_error());
    EXPECT_TRUE(line->has_flag("--json"));
    EXPECT_FALSE(line->has_flag("mem"));
}

TEST(CommandLine, CopiesKeepTheirOwnStorage)
{
    auto line = CommandLine::parse("a bb ccc");
    ASSERT_FALSE(line.is_error());
    CommandLine copy = line.value();
    EXPECT_EQ(copy[2], "ccc");
    EXPECT_NE(copy[2].data(), (*line)[2].data());
}
