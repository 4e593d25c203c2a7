#include "llm/Quantize.h"

#include "llm/Fp16.h"

#include <cmath>
#include <cstring>

namespace fluid::llm {

// Finite inputs always land in [-127, 127]; a NaN or infinity (a corrupt
// model's weights can produce them) must not reach an undefined
// float-to-int conversion, so it becomes 0 or the nearest bound.
static int8_t saturate_int8(float value)
{
    if (!(value == value))
        return 0;
    return static_cast<int8_t>(value > 127.0f ? 127.0f : value < -127.0f ? -127.0f : value);
}

void quantize_row_q8_0(const float* x, BlockQ8_0* y, size_t n)
{
    for (size_t b = 0; b < n / qk8_0; ++b) {
        const float* in = x + b * qk8_0;
        float amax = 0;
        for (size_t j = 0; j < qk8_0; ++j)
            amax = std::fmax(amax, std::fabs(in[j]));
        const float d = amax / 127.f;
        y[b].d = fp32_to_fp16(d);
        // 127/amax rather than 1/d: ggml's SIMD path does this and the two
        // differ in the last bit, which moves a rounding now and then.
        const float id = amax != 0.0f ? 127.f / amax : 0.0f;
        for (size_t j = 0; j < qk8_0; ++j)
            y[b].qs[j] = saturate_int8(round_half_even(in[j] * id));
    }
}

void quantize_row_q8_K(const float* x, BlockQ8_K* y, size_t n)
{
    for (size_t b = 0; b < n / qk_k; ++b) {
        const float* in = x + b * qk_k;
        float amax = 0, max = 0;
        for (size_t j = 0; j < qk_k; ++j) {
            if (std::fabs(in[j]) > amax) {
                amax = std::fabs(in[j]);
                max = in[j];
            }
        }
        if (amax == 0.0f || !(amax == amax) || amax == INFINITY) {
            // ggml zeroes an all-zero block; a non-finite one (corrupt
            // weights upstream) is zeroed too rather than cast undefinedly.
            memset(&y[b], 0, sizeof(y[b]));
            continue;
        }
        const float iscale = -127.f / max;
        for (size_t j = 0; j < qk_k; ++j) {
            const float v = round_half_even(iscale * in[j]);
            y[b].qs[j] = saturate_int8(v);
        }
        for (size_t j = 0; j < qk_k / 16; ++j) {
            int sum = 0;
            for (size_t i = 0; i < 16; ++i)
                sum += y[b].qs[j * 16 + i];
            y[b].bsums[j] = static_cast<int16_t>(sum);
        }
        y[b].d = 1 / iscale;
    }
}

void quantize_row_q8_0_reference(const float* x, BlockQ8_0* y, size_t n)
{
    for (size_t b = 0; b < n / qk8_0; ++b) {
        const float* in = x + b * qk8_0;
        float amax = 0;
        for (size_t j = 0; j < qk8_0; ++j)
            amax = std::fmax(amax, std::fabs(in[j]));
        const float d = amax / 127.f;
        const float id = d != 0.0f ? 1.0f / d : 0.0f;
        y[b].d = fp32_to_fp16(d);
        for (size_t j = 0; j < qk8_0; ++j)
            y[b].qs[j] = static_cast<int8_t>(std::round(in[j] * id));
    }
}

void quantize_row_q4_0_reference(const float* x, BlockQ4_0* y, size_t n)
{
    for (size_t b = 0; b < n / qk4_0; ++b) {
        const float* in = x + b * qk4_0;
        float amax = 0;
        float max = 0; // the value of largest magnitude, with its sign
        for (size_t j = 0; j < qk4_0; ++j) {
            if (amax < std::fabs(in[j])) {
                amax = std::fabs(in[j]);
                max = in[j];
            }
        }
        const float d = max / -8;
        const float id = d != 0.0f ? 1.0f / d : 0.0f;
        y[b].d = fp32_to_fp16(d);
        for (size_t j = 0; j < qk4_0 / 2; ++j) {
            const float x0 = in[j] * id;
            const float x1 = in[qk4_0 / 2 + j] * id;
            const uint8_t q0 = static_cast<uint8_t>(std::fmin(15.0f, static_cast<float>(static_cast<int8_t>(x0 + 8.5f))));
            const uint8_t q1 = static_cast<uint8_t>(std::fmin(15.0f, static_cast<float>(static_cast<int8_t>(x1 + 8.5f))));
            y[b].qs[j] = static_cast<uint8_t>(q0 | (q1 << 4));
        }
    }
}

static void dequantize_q4_k(const BlockQ4_K* blocks, float* y, size_t n)
{
    for (size_t b = 0; b < n / qk_k; ++b) {
        const BlockQ4_K& block = blocks[b];
        const uint8_t* q = block.qs;
        const float d = fp16_to_fp32(block.d);
        const float min = fp16_to_fp32(block.dmin);
        int is = 0;
        for (size_t j = 0; j < qk_k; j += 64) {
            uint8_t sc, m;
            q4_k_scale_min(is + 0, block.scales, sc, m);
            const float d1 = d * sc, m1 = min * m;
            q4_k_scale_min(is + 1, block.scales, sc, m);
            const float d2 = d * sc, m2 = min * m;
            for (int l = 0; l < 32; ++l)
                *y++ = d1 * (q[l] & 0xF) - m1;
            for (int l = 0; l < 32; ++l)
                *y++ = d2 * (q[l] >> 4) - m2;
            q += 32;
            is += 2;
        }
    }
}

static void dequantize_q6_k(const BlockQ6_K* blocks, float* y, size_t n)
{
    for (size_t b = 0; b < n / qk_k; ++b) {
        const BlockQ6_K& block = blocks[b];
        const float d = fp16_to_fp32(block.d);
        const uint8_t* ql = block.ql;
        const uint8_t* qh = block.qh;
        const int8_t* sc = block.scales;
        for (size_t half = 0; half < qk_k; half += 128) {
            for (int l = 0; l < 32; ++l) {
                const int is = l / 16;
                const int q1 = static_cast<int8_t>((ql[l + 0] & 0xF) | (((qh[l] >> 0) & 3) << 4)) - 32;
                const int q2 = static_cast<int8_t>((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32;
                const int q3 = static_cast<int8_t>((ql[l + 0] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
                const int q4 = static_cast<int8_t>((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
                y[l + 0] = d * sc[is + 0] * q1;
                y[l + 32] = d * sc[is + 2] * q2;
                y[l + 64] = d * sc[is + 4] * q3;
                y[l + 96] = d * sc[is + 6] * q4;
            }
            y += 128;
            ql += 64;
            qh += 32;
            sc += 8;
        }
    }
}

bool dequantize_row(GgmlType type, const void* row, float* y, size_t n)
{
    switch (type) {
    case GgmlType::F32: memcpy(y, row, n * sizeof(float)); return true;
    case GgmlType::F16: {
        auto* in = static_cast<const uint8_t*>(row);
        for (size_t i = 0; i < n; ++i) {
            uint16_t h;
            memcpy(&h, in + 2 * i, 2);
            y[i] = fp16_to_fp32(h);
        }
        return true;
    }
    case GgmlType::Q8_0: {
        auto* blocks = static_cast<const BlockQ8_0*>(row);
        for (size_t b = 0; b < n / qk8_0; ++b) {
            const float d = fp16_to_fp32(blocks[b].d);
            for (size_t j = 0; j < qk8_0; ++j)
                y[b * qk8_0 + j] = blocks[b].qs[j] * d;
        }
        return true;
    }
    case GgmlType::Q4_0: {
        auto* blocks = static_cast<const BlockQ4_0*>(row);
        for (size_t b = 0; b < n / qk4_0; ++b) {
            const float d = fp16_to_fp32(blocks[b].d);
            for (size_t j = 0; j < qk4_0 / 2; ++j) {
                y[b * qk4_0 + j] = ((blocks[b].qs[j] & 0x0F) - 8) * d;
                y[b * qk4_0 + j + qk4_0 / 2] = ((blocks[b].qs[j] >> 4) - 8) * d;
            }
        }
        return true;
    }
    case GgmlType::Q4_K: dequantize_q4_k(static_cast<const BlockQ4_K*>(row), y, n); return true;
    case GgmlType::Q6_K: dequantize_q6_k(static_cast<const BlockQ6_K*>(row), y, n); return true;
    default: return false;
    }
}

} // namespace fluid::llm
