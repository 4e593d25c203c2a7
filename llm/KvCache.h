// Keys and values of every layer for the positions seen so far, in F16 as
// llama.cpp keeps them by default (type_k = type_v = F16), so attention
// sees the same rounded numbers. Sized from the context actually asked
// for, not from the model's training context.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace fluid::llm {

class KvCache {
public:
    void allocate(uint32_t layers, uint32_t context, uint32_t kv_dim);

    uint32_t context() const { return m_context; }
    uint16_t* key(uint32_t layer, uint32_t pos) { return m_keys.data() + offset(layer, pos); }
    uint16_t* value(uint32_t layer, uint32_t pos) { return m_values.data() + offset(layer, pos); }
    const uint16_t* key(uint32_t layer, uint32_t pos) const { return m_keys.data() + offset(layer, pos); }
    const uint16_t* value(uint32_t layer, uint32_t pos) const { return m_values.data() + offset(layer, pos); }
    size_t bytes() const { return (m_keys.size() + m_values.size()) * sizeof(uint16_t); }

private:
    size_t offset(uint32_t layer, uint32_t pos) const
    {
        return (static_cast<size_t>(layer) * m_context + pos) * m_kv_dim;
    }

    uint32_t m_context { 0 };
    uint32_t m_kv_dim { 0 };
    std::vector<uint16_t> m_keys;
    std::vector<uint16_t> m_values;
};

} // namespace fluid::llm
