#include "kernel/shell/CommandLine.h"

#include <cstring>

namespace fluid {

CommandLine::CommandLine(const CommandLine& other)
    : m_count(other.m_count)
{
    memcpy(m_storage, other.m_storage, sizeof(m_storage));
    for (size_t i = 0; i < m_count; ++i)
        m_arguments[i] = std::string_view(m_storage + (other.m_arguments[i].data() - other.m_storage),
                                          other.m_arguments[i].size());
}

ErrorOr<CommandLine> CommandLine::parse(std::string_view line)
{
    CommandLine result;
    if (line.size() >= max_length)
        return Error::format(ErrorCode::Invalid, "command line longer than %zu characters", max_length - 1);
    size_t out = 0;
    size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && line[i] == ' ')
            ++i;
        if (i == line.size())
            break;
        if (result.m_count == max_arguments)
            return Error::format(ErrorCode::Invalid, "more than %zu arguments", max_arguments);
        size_t start = out;
        bool quoted = false;
        for (; i < line.size() && (quoted || line[i] != ' '); ++i) {
            char c = line[i];
            if (c == '"') {
                quoted = !quoted;
                continue;
            }
            if (quoted && c == '\\' && i + 1 < line.size() && (line[i + 1] == '"' || line[i + 1] == '\\'))
                c = line[++i];
            result.m_storage[out++] = c;
        }
        if (quoted)
            return Error::from(ErrorCode::Invalid, "unterminated quote");
        result.m_arguments[result.m_count++] = std::string_view(result.m_storage + start, out - start);
        result.m_storage[out++] = 0;
    }
    return result;
}

bool CommandLine::has_flag(std::string_view flag) const
{
    for (size_t i = 1; i < m_count; ++i)
        if (m_arguments[i] == flag)
            return true;
    return false;
}

} // namespace fluid
