#include "llm/WeightMatrix.h"

#include "llm/Quantize.h"

#include <cinttypes>

namespace fluid::llm {

bool WeightMatrix::is_supported_type(GgmlType type)
{
    return type == GgmlType::F32 || type == GgmlType::F16 || type == GgmlType::Q8_0 || type == GgmlType::Q4_0
        || type == GgmlType::Q4_K || type == GgmlType::Q6_K;
}

ErrorOr<WeightMatrix> WeightMatrix::from_tensor(const GgufTensor& tensor, uint64_t cols, uint64_t rows)
{
    int name_length = static_cast<int>(tensor.name.size());
    bool shape_ok = tensor.dims[0] == cols && tensor.rows() == rows && tensor.n_dims <= 2;
    if (!shape_ok) {
        return Error::format(ErrorCode::Invalid,
                             "model: tensor '%.*s' is [%" PRIu64 ", %" PRIu64 "], want [%" PRIu64 ", %" PRIu64 "]",
                             name_length, tensor.name.data(), tensor.dims[0], tensor.dims[1], cols, rows);
    }
    if (!is_supported_type(tensor.type)) {
        return Error::format(ErrorCode::Unsupported, "model: tensor '%.*s' has type %s, which is not supported yet",
                             name_length, tensor.name.data(), ggml_type_name(tensor.type));
    }
    // F32 and F16 rows are read as float/uint16_t arrays. GGUF alignment
    // (general.alignment may be 1) does not guarantee that by itself.
    size_t element_alignment = tensor.type == GgmlType::F32 ? 4 : tensor.type == GgmlType::F16 ? 2 : 1;
    if (reinterpret_cast<uintptr_t>(tensor.data) % element_alignment != 0) {
        return Error::format(ErrorCode::Unsupported, "model: tensor '%.*s' data is not %zu-byte aligned", name_length,
                             tensor.name.data(), element_alignment);
    }
    WeightMatrix matrix;
    matrix.m_type = tensor.type;
    matrix.m_rows = rows;
    matrix.m_cols = cols;
    matrix.m_row_bytes = tensor.row_bytes();
    matrix.m_data = tensor.data;
    return matrix;
}

// The table's entries may be JIT-compiled code, which has no UBSan
// function-signature word in front of it.
[[clang::no_sanitize("function")]] void WeightMatrix::multiply_rows(const ComputeKernels& kernels,
                                                                    const Activation& x, float* out,
                                                                    size_t row_begin, size_t row_end) const
{
    const MatvecKernel kernel = kernels.matvec(m_type);
    if (!kernel)
        __builtin_trap(); // from_tensor() admits only types every table has
    kernel(m_data, m_row_bytes, x.data(), m_cols, out, row_begin, row_end);
}

void WeightMatrix::multiply_rows_batch(const ComputeKernels& kernels, const Activation* x, size_t count, float* out,
                                       size_t stride, size_t row_begin, size_t row_end) const
{
    if (count == 1) {
        multiply_rows(kernels, x[0], out, row_begin, row_end);
        return;
    }
    // Row-major over a few rows at a time: the rows stay in L1 while every
    // input of the batch meets them.
    constexpr size_t rows_per_tile = 4;
    for (size_t tile = row_begin; tile < row_end; tile += rows_per_tile) {
        const size_t tile_end = tile + rows_per_tile < row_end ? tile + rows_per_tile : row_end;
        for (size_t t = 0; t < count; ++t)
            multiply_rows(kernels, x[t], out + t * stride, tile, tile_end);
    }
}

void WeightMatrix::multiply(ParallelExecutor& executor, const Activation& x, float* out,
                            const ComputeKernels& kernels) const
{
    if (x.operand_type() != Activation::operand_type(m_type) || x.size() != m_cols)
        __builtin_trap(); // a caller bug: the activation was prepared for another matrix
    // Chunks of at least 16 rows keep the per-chunk overhead small next to
    // the row work even for the narrowest test models.
    parallel_for(executor, 0, m_rows, 16, [&](size_t begin, size_t end) { multiply_rows(kernels, x, out, begin, end); });
}

void WeightMatrix::dequantize_row_to(size_t index, float* out) const
{
    dequantize_row(m_type, row(index), out, m_cols);
}

} // namespace fluid::llm
