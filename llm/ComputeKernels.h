// The engine's hot operations as a table of plain C-ABI function pointers,
// so the same forward pass runs either on the native code compiled into
// the binary (native(), the default) or on kernels the JIT compiled from
// modules/llm/*.bc for the CPU actually present (kernel/llm/JitLlmKernels,
// host/fluid-host/JitLlmKernels). Both compute the same bits: the modules
// repeat the native operations in the same order (docs/LLM.md).
//
// The granularity keeps the per-call cost (an indirect call, and through a
// JIT'd module's tier-0 entry a load and a jump plus a call counter) small
// next to the work: a range of matrix rows, a whole vector, one attention
// head over every position.
#pragma once

#include "llm/GgufTypes.h"

#include <cstddef>
#include <cstdint>

namespace fluid::llm {

extern "C" {

// out[r] = dot(row r, x) for r in [row_begin, row_end); row r starts at
// rows + r * row_bytes; x is the Activation's operand for the weight type
// (float, F16 bits, BlockQ8_0 or BlockQ8_K), `cols` elements long.
using MatvecKernel = void (*)(const uint8_t* rows, size_t row_bytes, const void* x, size_t cols, float* out,
                              size_t row_begin, size_t row_end);
// out = x / sqrt(mean(x^2) + epsilon) * weight (sum in double, scale in float).
using RmsNormKernel = void (*)(const float* x, const float* weight, float* out, size_t n, float epsilon);
// Rope mode NORM on `heads` heads of head_dim: pairs (2i, 2i+1), i < pairs.
using RopeKernel = void (*)(float* vector, uint32_t heads, uint32_t head_dim, uint32_t pairs, const float* cos,
                            const float* sin);
// gate[i] = silu(gate[i]) * up[i].
using SiluMulKernel = void (*)(float* gate, const float* up, size_t n);
// One query head against `positions` F16 keys and values (position p at
// keys + p * stride): scaled scores, softmax, weighted sum into out[head_dim].
// `scores` has room for `positions` floats. head_dim <= 1024.
using AttentionHeadKernel = void (*)(const float* q, const uint16_t* keys, const uint16_t* values, size_t stride,
                                     uint32_t positions, uint32_t head_dim, float scale, float* scores, float* out);
}

struct ComputeKernels {
    MatvecKernel matvec_f32 { nullptr };
    MatvecKernel matvec_f16 { nullptr };
    MatvecKernel matvec_q8_0 { nullptr };
    MatvecKernel matvec_q4_0 { nullptr };
    MatvecKernel matvec_q4_k { nullptr };
    MatvecKernel matvec_q6_k { nullptr };
    RmsNormKernel rms_norm { nullptr };
    RopeKernel rope { nullptr };
    SiluMulKernel silu_mul { nullptr };
    AttentionHeadKernel attention_head { nullptr };

    // The code compiled into this binary (VecDot's CPU dispatch included).
    static const ComputeKernels& native();

    // The matrix-vector kernel for a weight type (null if unsupported).
    MatvecKernel matvec(GgmlType weight_type) const;
    bool complete() const;
};

// Sets the entry named `symbol` ("fluid_llm_matvec_q8_0", ...) to the
// address; false if no entry has that name.
bool assign_compute_kernel(ComputeKernels&, const char* symbol, uint64_t address);
// The C names modules/llm/*.c export the entries under, in table order
// ("fluid_llm_matvec_f32", ... "fluid_llm_attention_head"); for binders: symbols[i] for i < compute_kernel_count.
extern const char* const compute_kernel_symbols[];
extern const size_t compute_kernel_count;

} // namespace fluid::llm
