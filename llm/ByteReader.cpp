#include "llm/ByteReader.h"

#include <cinttypes>

namespace fluid::llm {

ErrorOr<void> ByteReader::need(uint64_t bytes, const char* what) const
{
    if (bytes > remaining())
        return Error::format(ErrorCode::Invalid, "GGUF: %s: %" PRIu64 " bytes at offset %zu past end of file (size %zu)",
                             what, bytes, m_offset, m_size);
    return {};
}

ErrorOr<std::string_view> ByteReader::read_string(const char* what)
{
    size_t start = m_offset;
    auto length = TRY(read<uint64_t>(what));
    if (length > remaining()) {
        return Error::format(ErrorCode::Invalid,
                             "GGUF: %s: string length %" PRIu64 " at offset %zu past end of file (size %zu)", what,
                             length, start, m_size);
    }
    std::string_view text(reinterpret_cast<const char*>(m_data + m_offset), length);
    m_offset += length;
    return text;
}

ErrorOr<void> ByteReader::skip(uint64_t count, size_t element_size, const char* what)
{
    if (element_size != 0 && count > remaining() / element_size) {
        return Error::format(ErrorCode::Invalid,
                             "GGUF: %s: %" PRIu64 " elements of %zu bytes at offset %zu past end of file (size %zu)",
                             what, count, element_size, m_offset, m_size);
    }
    m_offset += count * element_size;
    return {};
}

} // namespace fluid::llm
