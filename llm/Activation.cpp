#include "llm/Activation.h"

#include "llm/Fp16.h"
#include "llm/Quantize.h"

namespace fluid::llm {

void Activation::prepare(const float* x, size_t n, GgmlType weight_type)
{
    m_size = n;
    m_weight_type = weight_type;
    m_f32 = x;
    switch (weight_type) {
    case GgmlType::F16:
        m_f16.resize(n);
        for (size_t i = 0; i < n; ++i)
            m_f16[i] = fp32_to_fp16(x[i]);
        break;
    case GgmlType::Q8_0:
    case GgmlType::Q4_0:
        m_q8_0.resize(n / qk8_0);
        quantize_row_q8_0(x, m_q8_0.data(), n);
        break;
    default: break;
    }
}

} // namespace fluid::llm
