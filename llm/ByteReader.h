// A cursor over an in-memory file that never reads past its end. Every read
// checks the remaining length first and reports the offset it failed at,
// so a truncated or corrupted GGUF file becomes an error, not a crash.
#pragma once

#include "kernel/lib/ErrorOr.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace fluid::llm {

class ByteReader {
public:
    ByteReader(const uint8_t* data, size_t size) : m_data(data), m_size(size) { }

    size_t offset() const { return m_offset; }
    size_t size() const { return m_size; }
    size_t remaining() const { return m_size - m_offset; }
    const uint8_t* data() const { return m_data; }

    // `what` names the field for the error, e.g. "tensor count".
    template<typename T>
    ErrorOr<T> read(const char* what)
    {
        TRY(need(sizeof(T), what));
        T value;
        memcpy(&value, m_data + m_offset, sizeof(T));
        m_offset += sizeof(T);
        return value;
    }

    // A GGUF string: u64 length, then that many bytes (not terminated).
    ErrorOr<std::string_view> read_string(const char* what);

    // Advances by `count` elements of `element_size` bytes, checking the
    // multiplication for overflow as well as the end of the buffer.
    ErrorOr<void> skip(uint64_t count, size_t element_size, const char* what);

    ErrorOr<void> need(uint64_t bytes, const char* what) const;

private:
    const uint8_t* m_data;
    size_t m_size;
    size_t m_offset { 0 };
};

} // namespace fluid::llm
