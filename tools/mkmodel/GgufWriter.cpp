#include "tools/mkmodel/GgufWriter.h"

#include <cstring>

namespace fluid::mkmodel {

using llm::GgufValueType;

template<typename T>
void GgufWriter::put(std::vector<uint8_t>& out, T value)
{
    uint8_t bytes[sizeof(T)];
    memcpy(bytes, &value, sizeof(T));
    out.insert(out.end(), bytes, bytes + sizeof(T));
}

void GgufWriter::put_string(std::vector<uint8_t>& out, const std::string& text)
{
    put<uint64_t>(out, text.size());
    out.insert(out.end(), text.begin(), text.end());
}

void GgufWriter::key(const std::string& key, GgufValueType type)
{
    put_string(m_metadata, key);
    put<uint32_t>(m_metadata, static_cast<uint32_t>(type));
    ++m_metadata_count;
}

void GgufWriter::add_string(const std::string& name, const std::string& value)
{
    key(name, GgufValueType::String);
    put_string(m_metadata, value);
}

void GgufWriter::add_u32(const std::string& name, uint32_t value)
{
    key(name, GgufValueType::UInt32);
    put<uint32_t>(m_metadata, value);
}

void GgufWriter::add_f32(const std::string& name, float value)
{
    key(name, GgufValueType::Float32);
    put<float>(m_metadata, value);
}

void GgufWriter::add_bool(const std::string& name, bool value)
{
    key(name, GgufValueType::Bool);
    put<uint8_t>(m_metadata, value ? 1 : 0);
}

void GgufWriter::add_string_array(const std::string& name, const std::vector<std::string>& values)
{
    key(name, GgufValueType::Array);
    put<uint32_t>(m_metadata, static_cast<uint32_t>(GgufValueType::String));
    put<uint64_t>(m_metadata, values.size());
    for (auto& value : values)
        put_string(m_metadata, value);
}

void GgufWriter::add_f32_array(const std::string& name, const std::vector<float>& values)
{
    key(name, GgufValueType::Array);
    put<uint32_t>(m_metadata, static_cast<uint32_t>(GgufValueType::Float32));
    put<uint64_t>(m_metadata, values.size());
    for (float value : values)
        put<float>(m_metadata, value);
}

void GgufWriter::add_i32_array(const std::string& name, const std::vector<int32_t>& values)
{
    key(name, GgufValueType::Array);
    put<uint32_t>(m_metadata, static_cast<uint32_t>(GgufValueType::Int32));
    put<uint64_t>(m_metadata, values.size());
    for (int32_t value : values)
        put<int32_t>(m_metadata, value);
}

static uint64_t align(uint64_t value)
{
    return (value + llm::gguf_default_alignment - 1) / llm::gguf_default_alignment * llm::gguf_default_alignment;
}

void GgufWriter::add_tensor(const std::string& name, const std::vector<uint64_t>& dims, llm::GgmlType type,
                            std::vector<uint8_t> data)
{
    uint64_t offset = align(m_data_size);
    m_data_size = offset + data.size();
    m_tensors.push_back({ name, dims, type, offset, std::move(data) });
}

bool GgufWriter::write(FILE* out) const
{
    std::vector<uint8_t> head;
    put<uint32_t>(head, llm::gguf_magic);
    put<uint32_t>(head, 3);
    put<uint64_t>(head, m_tensors.size());
    put<uint64_t>(head, m_metadata_count);
    head.insert(head.end(), m_metadata.begin(), m_metadata.end());
    for (auto& tensor : m_tensors) {
        put_string(head, tensor.name);
        put<uint32_t>(head, static_cast<uint32_t>(tensor.dims.size()));
        for (uint64_t dim : tensor.dims)
            put<uint64_t>(head, dim);
        put<uint32_t>(head, static_cast<uint32_t>(tensor.type));
        put<uint64_t>(head, tensor.offset);
    }
    head.resize(align(head.size()), 0);
    if (fwrite(head.data(), 1, head.size(), out) != head.size())
        return false;
    uint64_t written = 0;
    static const uint8_t zeros[llm::gguf_default_alignment] = {};
    for (auto& tensor : m_tensors) {
        if (fwrite(zeros, 1, tensor.offset - written, out) != tensor.offset - written)
            return false;
        if (fwrite(tensor.data.data(), 1, tensor.data.size(), out) != tensor.data.size())
            return false;
        written = tensor.offset + tensor.data.size();
    }
    return fflush(out) == 0;
}

} // namespace fluid::mkmodel
