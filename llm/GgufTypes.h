// The fixed vocabulary of the GGUF container and of ggml's tensor types, as
// written by llama.cpp's gguf library (gguf.h, ggml.h). Numeric values are
// part of the file format and must never change.
#pragma once

#include <cstddef>
#include <cstdint>

namespace fluid::llm {

constexpr uint32_t gguf_magic = 0x46554747; // "GGUF", little endian
constexpr uint64_t gguf_default_alignment = 32;

// The fixed-size start of every GGUF v2/v3 file. v1 used 32-bit counts and
// is refused.
struct [[gnu::packed]] GgufHeader {
    uint32_t magic;
    uint32_t version;
    uint64_t tensor_count;
    uint64_t metadata_kv_count;
};
static_assert(sizeof(GgufHeader) == 24);

enum class GgufValueType : uint32_t {
    UInt8 = 0,
    Int8 = 1,
    UInt16 = 2,
    Int16 = 3,
    UInt32 = 4,
    Int32 = 5,
    Float32 = 6,
    Bool = 7,
    String = 8,
    Array = 9,
    UInt64 = 10,
    Int64 = 11,
    Float64 = 12,
};
constexpr uint32_t gguf_value_type_count = 13;

// Bytes of one scalar of `type`; 0 for String and Array (variable size).
size_t gguf_scalar_size(GgufValueType type);
const char* gguf_value_type_name(GgufValueType type);

// ggml tensor types. Only some are computed on (see TensorType.cpp); the
// reader still accepts every known one so a file's extents can be checked.
enum class GgmlType : uint32_t {
    F32 = 0,
    F16 = 1,
    Q4_0 = 2,
    Q4_1 = 3,
    Q5_0 = 6,
    Q5_1 = 7,
    Q8_0 = 8,
    Q8_1 = 9,
    Q2_K = 10,
    Q3_K = 11,
    Q4_K = 12,
    Q5_K = 13,
    Q6_K = 14,
    Q8_K = 15,
    I8 = 24,
    I16 = 25,
    I32 = 26,
    I64 = 27,
    F64 = 28,
    BF16 = 30,
};

struct GgmlTypeInfo {
    const char* name;
    uint32_t block_elements; // elements per block (1 for plain types)
    uint32_t block_bytes;    // bytes per block
};

// nullptr for a type number this reader does not know.
const GgmlTypeInfo* ggml_type_info(uint32_t type);
const char* ggml_type_name(GgmlType type);

} // namespace fluid::llm
