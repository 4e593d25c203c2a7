#include "llm/KvCache.h"

namespace fluid::llm {

void KvCache::allocate(uint32_t layers, uint32_t context, uint32_t kv_dim)
{
    m_context = context;
    m_kv_dim = kv_dim;
    size_t elements = static_cast<size_t>(layers) * context * kv_dim;
    m_keys.assign(elements, 0);
    m_values.assign(elements, 0);
}

} // namespace fluid::llm
