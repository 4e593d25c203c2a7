/*
 * Benchmark workload "gemm_tile": single-precision GEMM C = A x B blocked
 * into 8x8 tiles, for 32x32 and larger. Entries are small integers, so the
 * float arithmetic is exact and the checksum is the same at every tier.
 * See bench_fibonacci.c for the three entry points.
 */
#include <fluid/module.h>

#define TILE 8

static int64_t min64(int64_t a, int64_t b)
{
    return a < b ? a : b;
}

static void gemm_tiled(const float* a, const float* b, float* c, int64_t n)
{
    for (int64_t i = 0; i < n * n; ++i)
        c[i] = 0;
    for (int64_t i0 = 0; i0 < n; i0 += TILE)
        for (int64_t k0 = 0; k0 < n; k0 += TILE)
            for (int64_t j0 = 0; j0 < n; j0 += TILE) {
                int64_t i1 = min64(i0 + TILE, n), k1 = min64(k0 + TILE, n), j1 = min64(j0 + TILE, n);
                for (int64_t i = i0; i < i1; ++i)
                    for (int64_t k = k0; k < k1; ++k) {
                        float scale = a[i * n + k];
                        for (int64_t j = j0; j < j1; ++j)
                            c[i * n + j] += scale * b[k * n + j];
                    }
            }
}

static void gemm_naive(const float* a, const float* b, float* c, int64_t n)
{
    for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < n; ++j) {
            float sum = 0;
            for (int64_t k = 0; k < n; ++k)
                sum += a[i * n + k] * b[k * n + j];
            c[i * n + j] = sum;
        }
}

static void fill(float* m, int64_t count, uint64_t* state)
{
    for (int64_t i = 0; i < count; ++i) {
        *state = *state * 6364136223846793005ull + 1442695040888963407ull;
        m[i] = (float)((int64_t)((*state >> 33) % 9) - 4);
    }
}

/* One (32n) x (32n) tiled GEMM; returns a position-weighted sum, or -1. */
int64_t bench_gemm_tile_run(int64_t n)
{
    if (n < 1 || n > 16)
        return -1;
    int64_t size = 32 * n;
    size_t bytes = (size_t)(size * size) * sizeof(float);
    float* a = (float*)fluid_alloc(bytes);
    float* b = (float*)fluid_alloc(bytes);
    float* c = (float*)fluid_alloc(bytes);
    int64_t checksum = -1;
    if (a && b && c) {
        uint64_t state = 4242;
        fill(a, size * size, &state);
        fill(b, size * size, &state);
        gemm_tiled(a, b, c, size);
        checksum = 0;
        for (int64_t i = 0; i < size * size; ++i)
            checksum += (int64_t)c[i] * (i % 5 + 1);
    }
    fluid_free(a);
    fluid_free(b);
    fluid_free(c);
    return checksum;
}

/* Tiled against naive for an n x n problem (n not always a multiple of 8). */
static int tiled_matches_naive(int64_t n, float* a, float* b, float* c, float* reference)
{
    uint64_t state = (uint64_t)n;
    fill(a, n * n, &state);
    fill(b, n * n, &state);
    gemm_tiled(a, b, c, n);
    gemm_naive(a, b, reference, n);
    for (int64_t i = 0; i < n * n; ++i)
        if (c[i] != reference[i])
            return 0;
    return 1;
}

int64_t bench_gemm_tile_check(void)
{
    enum { largest = 48 };
    size_t bytes = largest * largest * sizeof(float);
    float* a = (float*)fluid_alloc(bytes);
    float* b = (float*)fluid_alloc(bytes);
    float* c = (float*)fluid_alloc(bytes);
    float* reference = (float*)fluid_alloc(bytes);
    int64_t pass = a && b && c && reference && tiled_matches_naive(32, a, b, c, reference) &&
                   tiled_matches_naive(40, a, b, c, reference) && tiled_matches_naive(48, a, b, c, reference) &&
                   tiled_matches_naive(13, a, b, c, reference);
    fluid_free(a);
    fluid_free(b);
    fluid_free(c);
    fluid_free(reference);
    return pass;
}

int64_t bench_gemm_tile_default_n(void)
{
    return 3;
}
