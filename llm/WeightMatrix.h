// A weight matrix used in place from the model file: `rows` rows of `cols`
// elements of one ggml type. multiply() computes out = W x for a prepared
// activation, spreading the rows over the executor's cores.
#pragma once

#include "kernel/lib/ErrorOr.h"
#include "kernel/lib/ParallelExecutor.h"
#include "llm/Activation.h"
#include "llm/ComputeKernels.h"
#include "llm/GgufTensor.h"

#include <cstddef>
#include <cstdint>

namespace fluid::llm {

class WeightMatrix {
public:
    WeightMatrix() = default;

    // Checks the tensor's shape ({cols, rows}, or {cols} for a vector when
    // rows is 1) and that its type is one we multiply with.
    static ErrorOr<WeightMatrix> from_tensor(const GgufTensor& tensor, uint64_t cols, uint64_t rows);
    static bool is_supported_type(GgmlType type);

    GgmlType type() const { return m_type; }
    size_t rows() const { return m_rows; }
    size_t cols() const { return m_cols; }
    const uint8_t* row(size_t index) const { return m_data + index * m_row_bytes; }
    size_t row_bytes() const { return m_row_bytes; }

    // out[r] = dot(row r, x) for r in [row_begin, row_end), through the
    // kernel table's matvec for this weight type (native() if not given).
    void multiply_rows(const ComputeKernels&, const Activation& x, float* out, size_t row_begin,
                       size_t row_end) const;
    void multiply_rows(const Activation& x, float* out, size_t row_begin, size_t row_end) const
    {
        multiply_rows(ComputeKernels::native(), x, out, row_begin, row_end);
    }
    void multiply(ParallelExecutor& executor, const Activation& x, float* out,
                  const ComputeKernels& kernels = ComputeKernels::native()) const;
    // The same for `count` inputs at once: out[t * stride + r] for input t.
    // Each row is read from memory once for all of them.
    void multiply_rows_batch(const ComputeKernels&, const Activation* x, size_t count, float* out, size_t stride,
                             size_t row_begin, size_t row_end) const;

    // Row `index` as floats (embedding look-up).
    void dequantize_row_to(size_t index, float* out) const;

private:
    GgmlType m_type { GgmlType::F32 };
    size_t m_rows { 0 };
    size_t m_cols { 0 };
    size_t m_row_bytes { 0 };
    const uint8_t* m_data { nullptr };
};

} // namespace fluid::llm
