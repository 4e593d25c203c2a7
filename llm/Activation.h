// An activation vector converted into the operand type a weight type's dot
// product wants (ggml's vec_dot_type): F32 stays F32, F16 weights get F16,
// Q8_0 and Q4_0 weights get Q8_0 blocks, Q4_K and Q6_K get Q8_K blocks.
// Several matrices that read the same input (Q, K and V; gate and up)
// share one conversion when their operand types agree: prepare() only
// converts again when the input or the operand type changes.
#pragma once

#include "llm/GgufTypes.h"
#include "llm/QuantBlocks.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace fluid::llm {

class Activation {
public:
    void prepare(const float* x, size_t n, GgmlType weight_type);
    // The input buffer's contents changed: the next prepare() converts.
    void invalidate() { m_f32 = nullptr; }
    static GgmlType operand_type(GgmlType weight_type);

    size_t size() const { return m_size; }
    GgmlType operand_type() const { return m_operand_type; }
    const float* f32() const { return m_f32; }
    const uint16_t* f16() const { return m_f16.data(); }
    const BlockQ8_0* q8_0() const { return m_q8_0.data(); }
    const BlockQ8_K* q8_k() const { return m_q8_k.data(); }
    // The operand for operand_type(): what a ComputeKernels matvec takes.
    const void* data() const;

private:
    size_t m_size { 0 };
    GgmlType m_operand_type { GgmlType::F32 };
    const float* m_f32 { nullptr }; // the caller's buffer, not copied
    std::vector<uint16_t> m_f16;
    std::vector<BlockQ8_0> m_q8_0;
    std::vector<BlockQ8_K> m_q8_k;
};

} // namespace fluid::llm
