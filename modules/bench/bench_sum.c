/*
 * Benchmark workload "sum": reductions over an array, the loop shape O3
 * vectorises best. See bench_fibonacci.c for the three entry points.
 */
#include <fluid/module.h>

#define SUM_LENGTH 8192

static uint32_t sum_data[SUM_LENGTH];

static uint64_t weighted_sum(const uint32_t* data, int64_t count, uint64_t weight)
{
    uint64_t total = 0;
    for (int64_t i = 0; i < count; ++i)
        total += (uint64_t)data[i] * weight;
    return total;
}

static uint64_t sum_below(uint64_t limit)
{
    uint64_t total = 0;
    for (uint64_t i = 0; i < limit; ++i)
        total += i;
    return total;
}

static uint64_t sum_squares_below(uint64_t limit)
{
    uint64_t total = 0;
    for (uint64_t i = 0; i < limit; ++i)
        total += i * i;
    return total;
}

/* n passes over 8192 pseudo-random 32-bit values, each with its own weight. */
int64_t bench_sum_run(int64_t n)
{
    uint64_t state = 0x9e3779b97f4a7c15ull;
    for (int64_t i = 0; i < SUM_LENGTH; ++i) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        sum_data[i] = (uint32_t)(state >> 32);
    }
    uint64_t total = 0;
    for (int64_t pass = 0; pass < n; ++pass)
        total += weighted_sum(sum_data, SUM_LENGTH, (uint64_t)pass + 1);
    return (int64_t)(total & 0x7fffffffffffffffull);
}

int64_t bench_sum_check(void)
{
    /* Closed forms: sum i = N(N-1)/2, sum i^2 = (N-1)N(2N-1)/6. */
    if (sum_below(100000) != 4999950000ull)
        return 0;
    if (sum_squares_below(1000) != 332833500ull)
        return 0;
    for (int64_t i = 0; i < SUM_LENGTH; ++i)
        sum_data[i] = (uint32_t)i;
    /* weights 1 + 2 + 3 over 0..8191: 6 * 8191 * 8192 / 2 */
    uint64_t total = 0;
    for (uint64_t weight = 1; weight <= 3; ++weight)
        total += weighted_sum(sum_data, SUM_LENGTH, weight);
    return total == 6ull * 8191ull * 8192ull / 2ull;
}

int64_t bench_sum_default_n(void)
{
    return 32;
}
