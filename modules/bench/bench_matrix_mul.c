/*
 * Benchmark workload "matrix_mul": naive i-k-j double-precision matrix
 * multiply. The entries are small integers, so every product and sum is
 * exact and the checksum is the same at every tier, FMA or not. See
 * bench_fibonacci.c for the three entry points.
 */
#include <fluid/module.h>

static void fill(double* m, int64_t count, uint64_t* state)
{
    for (int64_t i = 0; i < count; ++i) {
        *state = *state * 6364136223846793005ull + 1442695040888963407ull;
        m[i] = (double)((int64_t)((*state >> 33) % 17) - 8);
    }
}

static void multiply(const double* a, const double* b, double* c, int64_t n)
{
    for (int64_t i = 0; i < n * n; ++i)
        c[i] = 0;
    for (int64_t i = 0; i < n; ++i)
        for (int64_t k = 0; k < n; ++k) {
            double scale = a[i * n + k];
            for (int64_t j = 0; j < n; ++j)
                c[i * n + j] += scale * b[k * n + j];
        }
}

/* Multiplies two n x n matrices; returns a position-weighted sum, or -1. */
int64_t bench_matrix_mul_run(int64_t n)
{
    if (n < 1 || n > 512)
        return -1;
    size_t bytes = (size_t)(n * n) * sizeof(double);
    double* a = (double*)fluid_alloc(bytes);
    double* b = (double*)fluid_alloc(bytes);
    double* c = (double*)fluid_alloc(bytes);
    int64_t checksum = -1;
    if (a && b && c) {
        uint64_t state = 12345;
        fill(a, n * n, &state);
        fill(b, n * n, &state);
        multiply(a, b, c, n);
        checksum = 0;
        for (int64_t i = 0; i < n * n; ++i)
            checksum += (int64_t)c[i] * (i % 7 + 1);
    }
    fluid_free(a);
    fluid_free(b);
    fluid_free(c);
    return checksum;
}

int64_t bench_matrix_mul_check(void)
{
    /* [[1,2],[3,4]] x [[5,6],[7,8]] = [[19,22],[43,50]] */
    double a[4] = { 1, 2, 3, 4 }, b[4] = { 5, 6, 7, 8 }, c[4];
    multiply(a, b, c, 2);
    if (c[0] != 19 || c[1] != 22 || c[2] != 43 || c[3] != 50)
        return 0;
    /* A random 12 x 12 against an integer triple loop, and A x I = A. */
    enum { n = 12 };
    double x[n * n], y[n * n], z[n * n], identity[n * n];
    uint64_t state = 7;
    fill(x, n * n, &state);
    fill(y, n * n, &state);
    multiply(x, y, z, n);
    for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < n; ++j) {
            int64_t expected = 0;
            for (int64_t k = 0; k < n; ++k)
                expected += (int64_t)x[i * n + k] * (int64_t)y[k * n + j];
            if ((int64_t)z[i * n + j] != expected)
                return 0;
            identity[i * n + j] = i == j;
        }
    multiply(x, identity, z, n);
    for (int64_t i = 0; i < n * n; ++i)
        if (z[i] != x[i])
            return 0;
    return 1;
}

int64_t bench_matrix_mul_default_n(void)
{
    return 64;
}
