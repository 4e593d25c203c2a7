/*
 * Integer matrix multiply: a loop nest that O3 vectorises.
 *
 * matmul(n, seed) fills two n x n matrices of 32-bit values from a 64-bit
 * LCG, multiplies them (wrapping unsigned 32-bit arithmetic, so the result
 * is defined for every input) and returns a position-weighted checksum of
 * the product. tests/unit/jit/JitModuleTests.cpp computes the same value in
 * C++. Returns -1 if n is not in 1..1024 or memory runs out.
 */
#include <fluid/module.h>

static uint64_t next_random(uint64_t* state)
{
    *state = *state * 6364136223846793005ull + 1442695040888963407ull;
    return *state >> 33;
}

static void fill(uint32_t* matrix, int64_t count, uint64_t* state)
{
    for (int64_t i = 0; i < count; ++i)
        matrix[i] = (uint32_t)(next_random(state) % 2001u) - 1000u;
}

static void multiply(const uint32_t* a, const uint32_t* b, uint32_t* c, int64_t n)
{
    for (int64_t i = 0; i < n * n; ++i)
        c[i] = 0;
    /* i-k-j order: the inner loop walks rows of b and c contiguously. */
    for (int64_t i = 0; i < n; ++i)
        for (int64_t k = 0; k < n; ++k) {
            uint32_t scale = a[i * n + k];
            for (int64_t j = 0; j < n; ++j)
                c[i * n + j] += scale * b[k * n + j];
        }
}

static uint64_t checksum(const uint32_t* c, int64_t count)
{
    uint64_t sum = 0;
    for (int64_t i = 0; i < count; ++i)
        sum += (uint64_t)c[i] * (uint64_t)(i + 1);
    return sum;
}

int64_t matmul(int64_t n, int64_t seed)
{
    if (n < 1 || n > 1024)
        return -1;
    int64_t count = n * n;
    uint32_t* a = (uint32_t*)fluid_alloc((size_t)count * sizeof(uint32_t));
    uint32_t* b = (uint32_t*)fluid_alloc((size_t)count * sizeof(uint32_t));
    uint32_t* c = (uint32_t*)fluid_alloc((size_t)count * sizeof(uint32_t));
    int64_t result = -1;
    if (a && b && c) {
        uint64_t state = (uint64_t)seed;
        fill(a, count, &state);
        fill(b, count, &state);
        multiply(a, b, c, n);
        result = (int64_t)(checksum(c, count) & 0x7fffffffffffffffull);
    }
    fluid_free(a);
    fluid_free(b);
    fluid_free(c);
    return result;
}
