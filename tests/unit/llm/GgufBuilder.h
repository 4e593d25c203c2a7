// Builds small GGUF files in memory for the llm/ tests, with hooks to
// corrupt them: every field is appended explicitly, so a test can write a
// wrong count, type or offset where the reader must catch it.
#pragma once

#include "llm/GgufTypes.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace fluid::llm::test {

class GgufBuilder {
public:
    std::vector<uint8_t> bytes;

    template<typename T>
    GgufBuilder& put(T value)
    {
        uint8_t raw[sizeof(T)];
        memcpy(raw, &value, sizeof(T));
        bytes.insert(bytes.end(), raw, raw + sizeof(T));
        return *this;
    }
    GgufBuilder& string(const std::string& text)
    {
        put<uint64_t>(text.size());
        bytes.insert(bytes.end(), text.begin(), text.end());
        return *this;
    }
    GgufBuilder& header(uint64_t tensors, uint64_t kvs, uint32_t version = 3)
    {
        return put<uint32_t>(gguf_magic).put<uint32_t>(version).put<uint64_t>(tensors).put<uint64_t>(kvs);
    }
    GgufBuilder& key(const std::string& name, GgufValueType type)
    {
        return string(name).put<uint32_t>(static_cast<uint32_t>(type));
    }
    GgufBuilder& kv_u32(const std::string& name, uint32_t value) { return key(name, GgufValueType::UInt32).put(value); }
    GgufBuilder& kv_f32(const std::string& name, float value) { return key(name, GgufValueType::Float32).put(value); }
    GgufBuilder& kv_bool(const std::string& name, bool value)
    {
        return key(name, GgufValueType::Bool).put<uint8_t>(value ? 1 : 0);
    }
    GgufBuilder& kv_string(const std::string& name, const std::string& value)
    {
        return key(name, GgufValueType::String).string(value);
    }
    GgufBuilder& kv_strings(const std::string& name, const std::vector<std::string>& values)
    {
        key(name, GgufValueType::Array).put<uint32_t>(static_cast<uint32_t>(GgufValueType::String));
        put<uint64_t>(values.size());
        for (auto& v : values)
            string(v);
        return *this;
    }
    template<typename T>
    GgufBuilder& kv_array(const std::string& name, GgufValueType type, const std::vector<T>& values)
    {
        key(name, GgufValueType::Array).put<uint32_t>(static_cast<uint32_t>(type)).put<uint64_t>(values.size());
        for (auto& v : values)
            put<T>(v);
        return *this;
    }
    GgufBuilder& tensor_info(const std::string& name, const std::vector<uint64_t>& dims, GgmlType type, uint64_t offset)
    {
        string(name).put<uint32_t>(static_cast<uint32_t>(dims.size()));
        for (uint64_t d : dims)
            put<uint64_t>(d);
        return put<uint32_t>(static_cast<uint32_t>(type)).put<uint64_t>(offset);
    }
    GgufBuilder& align(size_t alignment = 32)
    {
        while (bytes.size() % alignment)
            bytes.push_back(0);
        return *this;
    }
    GgufBuilder& data(const void* p, size_t n)
    {
        auto* b = static_cast<const uint8_t*>(p);
        bytes.insert(bytes.end(), b, b + n);
        return *this;
    }
};

} // namespace fluid::llm::test
