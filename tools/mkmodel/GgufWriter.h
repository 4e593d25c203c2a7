// Writes GGUF v3 files (the layout llm/GgufFile reads and llama.cpp's gguf
// library writes): header, metadata in insertion order, tensor infos, then
// the tensor data, each tensor aligned to 32 bytes. Host-only.
#pragma once

#include "llm/GgufTypes.h"

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace fluid::mkmodel {

class GgufWriter {
public:
    void add_string(const std::string& key, const std::string& value);
    void add_u32(const std::string& key, uint32_t value);
    void add_f32(const std::string& key, float value);
    void add_bool(const std::string& key, bool value);
    void add_string_array(const std::string& key, const std::vector<std::string>& values);
    void add_f32_array(const std::string& key, const std::vector<float>& values);
    void add_i32_array(const std::string& key, const std::vector<int32_t>& values);

    // `dims[0]` is the row length; `data` is the tensor's bytes in `type`.
    void add_tensor(const std::string& name, const std::vector<uint64_t>& dims, llm::GgmlType type,
                    std::vector<uint8_t> data);

    // Writes the whole file; false (with errno set) when writing fails.
    bool write(FILE* out) const;

private:
    struct Tensor {
        std::string name;
        std::vector<uint64_t> dims;
        llm::GgmlType type;
        uint64_t offset;
        std::vector<uint8_t> data;
    };
    void key(const std::string& key, llm::GgufValueType type);
    template<typename T>
    static void put(std::vector<uint8_t>& out, T value);
    static void put_string(std::vector<uint8_t>& out, const std::string& text);

    std::vector<uint8_t> m_metadata;
    uint64_t m_metadata_count { 0 };
    std::vector<Tensor> m_tensors;
    uint64_t m_data_size { 0 };
};

} // namespace fluid::mkmodel
