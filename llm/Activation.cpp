#include "llm/Activation.h"

#include "llm/Fp16.h"
#include "llm/Quantize.h"

namespace fluid::llm {

GgmlType Activation::operand_type(GgmlType weight_type)
{
    switch (weight_type) {
    case GgmlType::F16: return GgmlType::F16;
    case GgmlType::Q8_0:
    case GgmlType::Q4_0: return GgmlType::Q8_0;
    case GgmlType::Q4_K:
    case GgmlType::Q6_K: return GgmlType::Q8_K;
    default: return GgmlType::F32;
    }
}

const void* Activation::data() const
{
    switch (m_operand_type) {
    case GgmlType::F16: return m_f16.data();
    case GgmlType::Q8_0: return m_q8_0.data();
    case GgmlType::Q8_K: return m_q8_k.data();
    default: return m_f32;
    }
}

void Activation::prepare(const float* x, size_t n, GgmlType weight_type)
{
    const GgmlType operand = operand_type(weight_type);
    if (x == m_f32 && n == m_size && operand == m_operand_type)
        return;
    m_size = n;
    m_operand_type = operand;
    m_f32 = x;
    switch (operand) {
    case GgmlType::F16:
        m_f16.resize(n);
        for (size_t i = 0; i < n; ++i)
            m_f16[i] = fp32_to_fp16(x[i]);
        break;
    case GgmlType::Q8_0:
        m_q8_0.resize(n / qk8_0);
        quantize_row_q8_0(x, m_q8_0.data(), n);
        break;
    case GgmlType::Q8_K:
        m_q8_k.resize(n / qk_k);
        quantize_row_q8_K(x, m_q8_k.data(), n);
        break;
    default: break;
    }
}

} // namespace fluid::llm
