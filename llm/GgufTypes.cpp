#include "llm/GgufTypes.h"

#include "llm/QuantBlocks.h"

namespace fluid::llm {

size_t gguf_scalar_size(GgufValueType type)
{
    switch (type) {
    case GgufValueType::UInt8:
    case GgufValueType::Int8:
    case GgufValueType::Bool: return 1;
    case GgufValueType::UInt16:
    case GgufValueType::Int16: return 2;
    case GgufValueType::UInt32:
    case GgufValueType::Int32:
    case GgufValueType::Float32: return 4;
    case GgufValueType::UInt64:
    case GgufValueType::Int64:
    case GgufValueType::Float64: return 8;
    case GgufValueType::String:
    case GgufValueType::Array: return 0;
    }
    return 0;
}

const char* gguf_value_type_name(GgufValueType type)
{
    static constexpr const char* names[gguf_value_type_count] = {
        "u8", "i8", "u16", "i16", "u32", "i32", "f32", "bool", "string", "array", "u64", "i64", "f64",
    };
    auto index = static_cast<uint32_t>(type);
    return index < gguf_value_type_count ? names[index] : "?";
}

const GgmlTypeInfo* ggml_type_info(uint32_t type)
{
    // Block sizes from ggml.c's type_traits table.
    static constexpr GgmlTypeInfo f32 { "F32", 1, 4 };
    static constexpr GgmlTypeInfo f16 { "F16", 1, 2 };
    static constexpr GgmlTypeInfo q4_0 { "Q4_0", qk4_0, sizeof(BlockQ4_0) };
    static constexpr GgmlTypeInfo q4_1 { "Q4_1", 32, 20 };
    static constexpr GgmlTypeInfo q5_0 { "Q5_0", 32, 22 };
    static constexpr GgmlTypeInfo q5_1 { "Q5_1", 32, 24 };
    static constexpr GgmlTypeInfo q8_0 { "Q8_0", qk8_0, sizeof(BlockQ8_0) };
    static constexpr GgmlTypeInfo q8_1 { "Q8_1", 32, 36 };
    static constexpr GgmlTypeInfo q2_k { "Q2_K", 256, 84 };
    static constexpr GgmlTypeInfo q3_k { "Q3_K", 256, 110 };
    static constexpr GgmlTypeInfo q4_k { "Q4_K", qk_k, sizeof(BlockQ4_K) };
    static constexpr GgmlTypeInfo q5_k { "Q5_K", 256, 176 };
    static constexpr GgmlTypeInfo q6_k { "Q6_K", qk_k, sizeof(BlockQ6_K) };
    static constexpr GgmlTypeInfo q8_k { "Q8_K", 256, 292 };
    static constexpr GgmlTypeInfo i8 { "I8", 1, 1 };
    static constexpr GgmlTypeInfo i16 { "I16", 1, 2 };
    static constexpr GgmlTypeInfo i32 { "I32", 1, 4 };
    static constexpr GgmlTypeInfo i64 { "I64", 1, 8 };
    static constexpr GgmlTypeInfo f64 { "F64", 1, 8 };
    static constexpr GgmlTypeInfo bf16 { "BF16", 1, 2 };
    switch (static_cast<GgmlType>(type)) {
    case GgmlType::F32: return &f32;
    case GgmlType::F16: return &f16;
    case GgmlType::Q4_0: return &q4_0;
    case GgmlType::Q4_1: return &q4_1;
    case GgmlType::Q5_0: return &q5_0;
    case GgmlType::Q5_1: return &q5_1;
    case GgmlType::Q8_0: return &q8_0;
    case GgmlType::Q8_1: return &q8_1;
    case GgmlType::Q2_K: return &q2_k;
    case GgmlType::Q3_K: return &q3_k;
    case GgmlType::Q4_K: return &q4_k;
    case GgmlType::Q5_K: return &q5_k;
    case GgmlType::Q6_K: return &q6_k;
    case GgmlType::Q8_K: return &q8_k;
    case GgmlType::I8: return &i8;
    case GgmlType::I16: return &i16;
    case GgmlType::I32: return &i32;
    case GgmlType::I64: return &i64;
    case GgmlType::F64: return &f64;
    case GgmlType::BF16: return &bf16;
    }
    return nullptr;
}

const char* ggml_type_name(GgmlType type)
{
    auto* info = ggml_type_info(static_cast<uint32_t>(type));
    return info ? info->name : "?";
}

} // namespace fluid::llm
