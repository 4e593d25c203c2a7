// libFuzzer target for the shell's input path (kernel/shell): the input is
// the raw byte stream of the serial line. Every byte goes through the
// LineEditor (echo, backspace, escape sequences, Ctrl-C, overlong lines)
// and every submitted line through CommandLine::parse (quotes, escapes,
// argument and length limits). Lines must stay within their documented
// bounds; nothing may touch memory outside them (ASan and UBSan watch).
#include "kernel/shell/CommandLine.h"
#include "kernel/shell/LineEditor.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace fluid;

namespace {

void require(bool condition)
{
    if (!condition)
        abort();
}

// Echo goes nowhere, but every byte of it is read so ASan sees overreads.
class SinkDevice final : public CharacterDevice {
public:
    void write(const char* data, size_t length) override
    {
        for (size_t i = 0; i < length; ++i)
            m_sum += static_cast<uint8_t>(data[i]);
    }
    volatile unsigned m_sum { 0 };
};

void exercise(std::string_view line)
{
    auto parsed = CommandLine::parse(line);
    if (parsed.is_error())
        return;
    require(parsed->count() <= CommandLine::max_arguments);
    size_t total = 0;
    for (size_t i = 0; i < parsed->count(); ++i)
        total += (*parsed)[i].size();
    require(total <= CommandLine::max_length);
    require((*parsed)[parsed->count()].empty());
    (void)parsed->has_flag("--json");
    CommandLine copy(*parsed);
    require(copy.count() == parsed->count());
    for (size_t i = 0; i < copy.count(); ++i)
        require(copy[i] == (*parsed)[i]);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    exercise(std::string_view(reinterpret_cast<const char*>(data), size));
    SinkDevice echo;
    LineEditor editor(&echo);
    for (size_t i = 0; i < size; ++i) {
        if (!editor.feed(data[i]))
            continue;
        const LineEditor::Submitted& line = editor.submitted();
        require(line.line.size() <= LineEditor::max_length);
        for (char c : line.line)
            require(c >= 0x20 && c < 0x7f);
        exercise(line.line);
    }
    return 0;
}
