#include "tools/mkmodel/KQuantizer.h"

#include "llm/Fp16.h"
#include "llm/QuantBlocks.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace fluid::mkmodel {

using llm::qk_k;

static int clamp_round(float value, int low, int high)
{
    return std::clamp(static_cast<int>(std::lround(value)), low, high);
}

std::vector<uint8_t> quantize_q4_k(const std::vector<float>& values)
{
    const size_t blocks = values.size() / qk_k;
    std::vector<llm::BlockQ4_K> out(blocks);
    for (size_t b = 0; b < blocks; ++b) {
        const float* x = values.data() + b * qk_k;
        llm::BlockQ4_K& block = out[b];
        memset(&block, 0, sizeof(block));
        // Per sub-block of 32: value = scale * q - offset, q in 0..15.
        float scale[8], offset[8];
        float max_scale = 0, max_offset = 0;
        for (int j = 0; j < 8; ++j) {
            float lo = 0, hi = 0;
            for (int l = 0; l < 32; ++l) {
                lo = std::min(lo, x[32 * j + l]);
                hi = std::max(hi, x[32 * j + l]);
            }
            scale[j] = (hi - lo) / 15.0f;
            offset[j] = -lo;
            max_scale = std::max(max_scale, scale[j]);
            max_offset = std::max(max_offset, offset[j]);
        }
        block.d = llm::fp32_to_fp16(max_scale / 63.0f);
        block.dmin = llm::fp32_to_fp16(max_offset / 63.0f);
        const float d = llm::fp16_to_fp32(block.d);
        const float dmin = llm::fp16_to_fp32(block.dmin);
        uint8_t q[qk_k];
        for (int j = 0; j < 8; ++j) {
            const int ls = d > 0 ? clamp_round(scale[j] / d, 0, 63) : 0;
            const int lm = dmin > 0 ? clamp_round(offset[j] / dmin, 0, 63) : 0;
            // The 6-bit packing of ggml's quantize_row_q4_K_ref.
            if (j < 4) {
                block.scales[j] = static_cast<uint8_t>(ls);
                block.scales[j + 4] = static_cast<uint8_t>(lm);
            } else {
                block.scales[j + 4] = static_cast<uint8_t>((ls & 0xF) | ((lm & 0xF) << 4));
                block.scales[j - 4] |= static_cast<uint8_t>((ls >> 4) << 6);
                block.scales[j] |= static_cast<uint8_t>((lm >> 4) << 6);
            }
            const float step = d * static_cast<float>(ls);
            const float shift = dmin * static_cast<float>(lm);
            for (int l = 0; l < 32; ++l)
                q[32 * j + l] = static_cast<uint8_t>(step > 0 ? clamp_round((x[32 * j + l] + shift) / step, 0, 15) : 0);
        }
        // Each 64 values share 32 bytes: low nibbles the first 32.
        for (int chunk = 0; chunk < 4; ++chunk) {
            for (int l = 0; l < 32; ++l)
                block.qs[32 * chunk + l] = static_cast<uint8_t>(q[64 * chunk + l] | (q[64 * chunk + 32 + l] << 4));
        }
    }
    std::vector<uint8_t> bytes(blocks * sizeof(llm::BlockQ4_K));
    memcpy(bytes.data(), out.data(), bytes.size());
    return bytes;
}

std::vector<uint8_t> quantize_q6_k(const std::vector<float>& values)
{
    const size_t blocks = values.size() / qk_k;
    std::vector<llm::BlockQ6_K> out(blocks);
    for (size_t b = 0; b < blocks; ++b) {
        const float* x = values.data() + b * qk_k;
        llm::BlockQ6_K& block = out[b];
        memset(&block, 0, sizeof(block));
        float scale[16], max_scale = 0;
        for (int j = 0; j < 16; ++j) {
            float amax = 0;
            for (int l = 0; l < 16; ++l)
                amax = std::max(amax, std::fabs(x[16 * j + l]));
            scale[j] = amax / 31.0f;
            max_scale = std::max(max_scale, scale[j]);
        }
        block.d = llm::fp32_to_fp16(max_scale / 127.0f);
        const float d = llm::fp16_to_fp32(block.d);
        uint8_t q[qk_k]; // q + 32, in 0..63
        for (int j = 0; j < 16; ++j) {
            const int ls = d > 0 ? clamp_round(scale[j] / d, -128, 127) : 0;
            block.scales[j] = static_cast<int8_t>(ls);
            const float step = d * static_cast<float>(ls);
            for (int l = 0; l < 16; ++l)
                q[16 * j + l] = static_cast<uint8_t>((step > 0 ? clamp_round(x[16 * j + l] / step, -32, 31) : 0) + 32);
        }
        // ggml's layout: per 128 values, ql holds low nibbles of l and l+32
        // (then high nibbles for l+64, l+96), qh two high bits of each.
        for (int half = 0; half < 2; ++half) {
            const uint8_t* h = q + 128 * half;
            uint8_t* ql = block.ql + 64 * half;
            uint8_t* qh = block.qh + 32 * half;
            for (int l = 0; l < 32; ++l) {
                ql[l] = static_cast<uint8_t>((h[l] & 0xF) | ((h[l + 64] & 0xF) << 4));
                ql[l + 32] = static_cast<uint8_t>((h[l + 32] & 0xF) | ((h[l + 96] & 0xF) << 4));
                qh[l] = static_cast<uint8_t>((h[l] >> 4) | ((h[l + 32] >> 4) << 2) | ((h[l + 64] >> 4) << 4)
                                             | ((h[l + 96] >> 4) << 6));
            }
        }
    }
    std::vector<uint8_t> bytes(blocks * sizeof(llm::BlockQ6_K));
    memcpy(bytes.data(), out.data(), bytes.size());
    return bytes;
}

} // namespace fluid::mkmodel
