/*
 * Floating point through the kernel's math exports: a numerically careful
 * softmax, the operation at the heart of attention.
 *
 * softmax_ppm(n): softmax over n deterministic logits (sinf, logf, expf);
 * returns the sum of the probabilities in parts per million, 1000000 when
 * the exports work. softmax_pair_ok(): 1 if softmax([0, ln 3]) is
 * [0.25, 0.75] and sqrt(pow(2, 2)) == 2.
 */
#include <fluid/module.h>

static void softmax(float* x, int64_t n)
{
    float max = x[0];
    for (int64_t i = 1; i < n; ++i)
        max = fmaxf(max, x[i]);
    double sum = 0.0; /* a float sum drifts by a few ulps over thousands of terms */
    for (int64_t i = 0; i < n; ++i) {
        x[i] = expf(x[i] - max);
        sum += x[i];
    }
    for (int64_t i = 0; i < n; ++i)
        x[i] = (float)(x[i] / sum);
}

int64_t softmax_ppm(int64_t n)
{
    if (n < 1 || n > 4096)
        return -1;
    float* x = (float*)fluid_alloc((size_t)n * sizeof(float));
    if (!x)
        return -1;
    for (int64_t i = 0; i < n; ++i)
        x[i] = sinf((float)i * 0.37f) * 4.0f + logf((float)i + 1.0f);
    softmax(x, n);
    double total = 0.0;
    for (int64_t i = 0; i < n; ++i)
        total += x[i];
    fluid_free(x);
    return (int64_t)round(total * 1000000.0);
}

int64_t softmax_pair_ok(void)
{
    float x[2] = { 0.0f, logf(3.0f) };
    softmax(x, 2);
    return fabsf(x[0] - 0.25f) < 1e-6f && fabsf(x[1] - 0.75f) < 1e-6f && sqrt(pow(2.0, 2.0)) == 2.0;
}
