// One metadata value of a GGUF file, pointing into the file's bytes (which
// must outlive it). Scalars are decoded; arrays keep their element type,
// count and the position of their first element. String arrays (the
// vocabulary) are indexed once when the file is opened.
#pragma once

#include "kernel/lib/ErrorOr.h"
#include "llm/GgufTypes.h"

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace fluid::llm {

class GgufValue {
public:
    GgufValueType type { GgufValueType::UInt8 };
    // Scalars: the value widened. Bool is 0 or 1.
    uint64_t u64 { 0 };
    int64_t i64 { 0 };
    double f64 { 0 };
    std::string_view string;

    // Arrays.
    GgufValueType element_type { GgufValueType::UInt8 };
    uint64_t count { 0 };
    const uint8_t* elements { nullptr }; // first element (scalar arrays)
    std::vector<std::string_view> strings; // string arrays

    bool is_array() const { return type == GgufValueType::Array; }
    bool is_integer() const;
    bool is_float() const { return type == GgufValueType::Float32 || type == GgufValueType::Float64; }

    // Element `index` of a numeric array, widened; the caller checks the
    // index against `count` and the element type.
    int64_t integer_at(uint64_t index) const;
    double float_at(uint64_t index) const;
};

} // namespace fluid::llm
