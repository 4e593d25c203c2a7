#include "kernel/shell/LineEditor.h"

#include <gtest/gtest.h>

#include <string>

using fluid::CharacterDevice;
using fluid::LineEditor;

namespace {

struct Capture final : CharacterDevice {
    std::string text;
    void write(const char* data, size_t length) override { text.append(data, length); }
};

struct Fed {
    std::vector<LineEditor::Submitted> lines;
    std::vector<std::string> texts;
};

Fed feed(LineEditor& editor, std::string_view bytes)
{
    Fed fed;
    for (char c : bytes) {
        if (editor.feed(uint8_t(c))) {
            fed.lines.push_back(editor.submitted());
            fed.texts.emplace_back(editor.submitted().line);
        }
    }
    return fed;
}

} // namespace

TEST(LineEditor, SubmitsOnCrLfOrCrlfOnce)
{
    Capture echo;
    LineEditor editor(&echo);
    Fed fed = feed(editor, "one\rtwo\nthree\r\nfour\n");
    ASSERT_EQ(fed.texts.size(), 4u);
    EXPECT_EQ(fed.texts[0], "one");
    EXPECT_EQ(fed.texts[1], "two");
    EXPECT_EQ(fed.texts[2], "three");
    EXPECT_EQ(fed.texts[3], "four");
    EXPECT_EQ(echo.text, "one\ntwo\nthree\nfour\n");
}

TEST(LineEditor, BackspaceAndDeleteEdit)
{
    Capture echo;
    LineEditor editor(&echo);
    Fed fed = feed(editor, "helq\x7fpx\b!\r");
    ASSERT_EQ(fed.texts.size(), 1u);
    EXPECT_EQ(fed.texts[0], "help!");
    EXPECT_NE(echo.text.find("\b \b"), std::string::npos);
}

TEST(LineEditor, BackspaceOnEmptyLineIsHarmless)
{
    LineEditor editor(nullptr);
    Fed fed = feed(editor, "\b\b\x7fok\r");
    ASSERT_EQ(fed.texts.size(), 1u);
    EXPECT_EQ(fed.texts[0], "ok");
    EXPECT_EQ(fed.lines[0].dropped_bytes, 0u);
}

TEST(LineEditor, CountsAndDropsBinaryGarbage)
{
    LineEditor editor(nullptr);
    Fed fed = feed(editor, std::string("a\x00\x01\x1b\xff" "b\r", 7));
    ASSERT_EQ(fed.lines.size(), 1u);
    EXPECT_EQ(fed.texts[0], "ab");
    // NUL, SOH, a lone ESC, 0xff.
    EXPECT_EQ(fed.lines[0].dropped_bytes, 4u);
    // The next line starts clean.
    fed = feed(editor, "echo ok\r");
    ASSERT_EQ(fed.lines.size(), 1u);
    EXPECT_EQ(fed.lines[0].dropped_bytes, 0u);
    EXPECT_EQ(fed.texts[0], "echo ok");
}

TEST(LineEditor, SwallowsAnsiEscapeSequences)
{
    LineEditor editor(nullptr);
    Fed fed = feed(editor, "ab\x1b[A\x1b[1;5Cc\r");
    ASSERT_EQ(fed.lines.size(), 1u);
    EXPECT_EQ(fed.texts[0], "abc");
    EXPECT_EQ(fed.lines[0].dropped_bytes, 0u);
}

TEST(LineEditor, FlagsOverlongLinesAndRecovers)
{
    LineEditor editor(nullptr);
    std::string longline(LineEditor::max_length + 45, 'x');
    Fed fed = feed(editor, longline + "\r");
    ASSERT_EQ(fed.lines.size(), 1u);
    EXPECT_TRUE(fed.lines[0].too_long);
    fed = feed(editor, std::string(LineEditor::max_length, 'y') + "\r");
    ASSERT_EQ(fed.lines.size(), 1u);
    EXPECT_FALSE(fed.lines[0].too_long);
    EXPECT_EQ(fed.texts[0].size(), LineEditor::max_length);
}

TEST(LineEditor, CtrlCCancels)
{
    Capture echo;
    LineEditor editor(&echo);
    Fed fed = feed(editor, "rm -rf\x03");
    ASSERT_EQ(fed.lines.size(), 1u);
    EXPECT_TRUE(fed.lines[0].cancelled);
    EXPECT_NE(echo.text.find("^C"), std::string::npos);
}

TEST(LineEditor, SurvivesRandomBytes)
{
    LineEditor editor(nullptr);
    uint32_t state = 12345;
    size_t lines = 0;
    for (int i = 0; i < 200000; ++i) {
        state = state * 1103515245 + 12345;
        if (editor.feed(uint8_t(state >> 16))) {
            ++lines;
            EXPECT_LE(editor.submitted().line.size(), LineEditor::max_length);
        }
    }
    EXPECT_GT(lines, 0u);
}
