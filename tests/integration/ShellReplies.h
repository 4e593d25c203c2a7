// Reading values out of the shell's replies, for the integration tests.
#pragma once

#include <regex>
#include <string>

namespace fluid::test {

// The value after "key": in a one-line JSON reply (a string keeps its
// quotes), or "" if absent.
inline std::string json_value(const std::string& text, const std::string& key)
{
    std::smatch match;
    std::regex pattern("\"" + key + "\":(\"[^\"]*\"|[-0-9.]+|true|false)");
    return std::regex_search(text, match, pattern) ? match[1].str() : "";
}

// VALUE from `jit run`'s "fn(args) = VALUE" line, or "".
inline std::string jit_result(const std::string& text)
{
    std::smatch match;
    return std::regex_search(text, match, std::regex(R"(\) = (-?[0-9]+))")) ? match[1].str() : "";
}

} // namespace fluid::test
