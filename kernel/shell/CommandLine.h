// Splits a command line into arguments: words separated by spaces;
// "double quotes" group words and allow \" and \\ inside.
#pragma once

#include "kernel/lib/ErrorOr.h"

#include <cstddef>
#include <string_view>

namespace fluid {

class CommandLine {
public:
    static constexpr size_t max_arguments = 32;
    static constexpr size_t max_length = 512;

    static ErrorOr<CommandLine> parse(std::string_view line);

    size_t count() const { return m_count; }
    std::string_view operator[](size_t i) const { return i < m_count ? m_arguments[i] : std::string_view(); }
    // True if `flag` (e.g. "--json") is among the arguments after the command.
    bool has_flag(std::string_view flag) const;

    CommandLine() = default;
    CommandLine(const CommandLine&);

private:
    char m_storage[max_length] {};
    std::string_view m_arguments[max_arguments];
    size_t m_count { 0 };
};

} // namespace fluid
