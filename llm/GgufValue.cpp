#include "llm/GgufValue.h"

namespace fluid::llm {

bool GgufValue::is_integer() const
{
    switch (type) {
    case GgufValueType::UInt8:
    case GgufValueType::Int8:
    case GgufValueType::UInt16:
    case GgufValueType::Int16:
    case GgufValueType::UInt32:
    case GgufValueType::Int32:
    case GgufValueType::UInt64:
    case GgufValueType::Int64:
    case GgufValueType::Bool: return true;
    default: return false;
    }
}

template<typename T>
static T load(const uint8_t* p)
{
    T value;
    memcpy(&value, p, sizeof(T));
    return value;
}

int64_t GgufValue::integer_at(uint64_t index) const
{
    const uint8_t* p = elements + index * gguf_scalar_size(element_type);
    switch (element_type) {
    case GgufValueType::UInt8:
    case GgufValueType::Bool: return load<uint8_t>(p);
    case GgufValueType::Int8: return load<int8_t>(p);
    case GgufValueType::UInt16: return load<uint16_t>(p);
    case GgufValueType::Int16: return load<int16_t>(p);
    case GgufValueType::UInt32: return load<uint32_t>(p);
    case GgufValueType::Int32: return load<int32_t>(p);
    case GgufValueType::UInt64: return static_cast<int64_t>(load<uint64_t>(p));
    case GgufValueType::Int64: return load<int64_t>(p);
    default: return 0; // floats are not integers: no lossy (or undefined) casts

    }
}

double GgufValue::float_at(uint64_t index) const
{
    const uint8_t* p = elements + index * gguf_scalar_size(element_type);
    switch (element_type) {
    case GgufValueType::Float32: return load<float>(p);
    case GgufValueType::Float64: return load<double>(p);
    default: return static_cast<double>(integer_at(index));
    }
}

} // namespace fluid::llm
