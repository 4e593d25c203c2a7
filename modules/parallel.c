/*
 * Fan-out from JIT'd code: the same sum computed on one core and through
 * fluid_parallel_for on every core. Integration tests check that the two
 * agree and that every core took part.
 *
 * serial_sum(n) / parallel_sum(n): sum of mix(i) for i in [0, n), wrapping.
 * cores_used(n): how many distinct cores ran chunks of a parallel loop.
 */
#include <fluid/module.h>

static uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

static uint64_t sum_range(size_t begin, size_t end)
{
    uint64_t sum = 0;
    for (size_t i = begin; i < end; ++i)
        sum += mix(i);
    return sum;
}

int64_t serial_sum(int64_t n)
{
    return n < 0 ? -1 : (int64_t)sum_range(0, (size_t)n);
}

static void add_chunk(void* context, size_t begin, size_t end)
{
    __atomic_fetch_add((uint64_t*)context, sum_range(begin, end), __ATOMIC_RELAXED);
}

int64_t parallel_sum(int64_t n)
{
    if (n < 0)
        return -1;
    uint64_t total = 0;
    fluid_parallel_for(0, (size_t)n, 4096, add_chunk, &total);
    return (int64_t)total;
}

int64_t cpu_count(void)
{
    return fluid_cpu_count();
}

/*
 * A function every core calls at once while tiering swaps it underneath
 * (tests/integration/TieringTest.cpp): its result never depends on the
 * tier, so any wrong answer during a swap shows.
 */
int64_t tiered_work(int64_t x)
{
    uint64_t h = (uint64_t)x;
    for (int i = 0; i < 16; ++i)
        h = mix(h);
    return (int64_t)(h >> 1);
}

static void call_chunk(void* context, size_t begin, size_t end)
{
    uint64_t sum = 0;
    for (size_t i = begin; i < end; ++i)
        sum += (uint64_t)tiered_work((int64_t)i);
    __atomic_fetch_add((uint64_t*)context, sum, __ATOMIC_RELAXED);
}

/* sum of tiered_work(i) for i in [0, n), called from every core. */
int64_t parallel_calls(int64_t n)
{
    if (n < 0)
        return -1;
    uint64_t total = 0;
    fluid_parallel_for(0, (size_t)n, 16, call_chunk, &total);
    return (int64_t)total;
}

/* The same on the calling core only. */
int64_t serial_calls(int64_t n)
{
    if (n < 0)
        return -1;
    uint64_t total = 0;
    call_chunk(&total, 0, (size_t)n);
    return (int64_t)total;
}
