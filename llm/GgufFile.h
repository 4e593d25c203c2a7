// A GGUF v2/v3 file (llama.cpp's model container) parsed over its bytes in
// memory. open() checks everything before anything is used: the header,
// every key, string, array length and value type, every tensor's name,
// dimensions, type, alignment and data extent against the buffer size.
// Errors name the item and the byte offset. The buffer must outlive the
// GgufFile; nothing is copied.
#pragma once

#include "kernel/lib/ErrorOr.h"
#include "llm/GgufTensor.h"
#include "llm/GgufValue.h"

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace fluid::llm {

struct GgufKeyValue {
    std::string_view key;
    GgufValue value;
};

class GgufFile {
public:
    static ErrorOr<GgufFile> open(const uint8_t* data, size_t size);
    // Only the header, metadata and tensor infos, from the first
    // `available` bytes of a file of `file_size` bytes: tensor extents are
    // checked against file_size, and tensors have no data (nullptr). For
    // sizing a model before reading it whole.
    static ErrorOr<GgufFile> open_header(const uint8_t* data, size_t available, size_t file_size);

    uint32_t version() const { return m_version; }
    uint64_t alignment() const { return m_alignment; }
    uint64_t data_offset() const { return m_data_offset; }
    size_t size() const { return m_size; }

    const std::vector<GgufKeyValue>& metadata() const { return m_metadata; }
    const std::vector<GgufTensor>& tensors() const { return m_tensors; }

    const GgufValue* find(std::string_view key) const;
    const GgufTensor* find_tensor(std::string_view name) const;

    // Typed look-ups: NotFound when absent, Invalid on a type mismatch or a
    // value out of range for the result.
    ErrorOr<uint64_t> get_uint(std::string_view key) const;
    ErrorOr<float> get_float(std::string_view key) const;
    ErrorOr<std::string_view> get_string(std::string_view key) const;
    ErrorOr<const GgufValue*> get_array(std::string_view key, GgufValueType element_type) const;
    // The value when present, `fallback` when absent, an error otherwise.
    ErrorOr<uint64_t> get_uint_or(std::string_view key, uint64_t fallback) const;
    ErrorOr<float> get_float_or(std::string_view key, float fallback) const;
    ErrorOr<bool> get_bool_or(std::string_view key, bool fallback) const;

private:
    ErrorOr<void> parse();

    const uint8_t* m_data { nullptr };
    size_t m_size { 0 };
    size_t m_available { 0 }; // bytes of m_data that may be read
    uint32_t m_version { 0 };
    uint64_t m_alignment { gguf_default_alignment };
    uint64_t m_data_offset { 0 };
    std::vector<GgufKeyValue> m_metadata;
    std::vector<GgufTensor> m_tensors;
};

} // namespace fluid::llm
