/*
 * Benchmark workload "compute": Collatz stopping times, a branchy integer
 * loop with data-dependent trip counts. See bench_fibonacci.c for the
 * three entry points.
 */
#include <fluid/module.h>

static int64_t collatz_steps(uint64_t value)
{
    int64_t steps = 0;
    while (value != 1) {
        value = (value & 1) ? 3 * value + 1 : value / 2;
        ++steps;
    }
    return steps;
}

/* Total stopping time of 1..n, mixed with the longest one found. */
int64_t bench_compute_run(int64_t n)
{
    int64_t total = 0, longest = 0;
    for (int64_t i = 1; i <= n; ++i) {
        int64_t steps = collatz_steps((uint64_t)i);
        total += steps;
        if (steps > longest)
            longest = steps;
    }
    return total * 1000 + longest;
}

int64_t bench_compute_check(void)
{
    /* OEIS A006577: 27 takes 111 steps, 97 takes 118; 1..10 take 67 in all. */
    if (collatz_steps(27) != 111 || collatz_steps(97) != 118)
        return 0;
    if (bench_compute_run(10) != 67 * 1000 + 19)
        return 0;
    /* Below 1000 the longest is 871 with 178 steps. */
    int64_t longest = 0, argmax = 0;
    for (int64_t i = 1; i < 1000; ++i) {
        int64_t steps = collatz_steps((uint64_t)i);
        if (steps > longest) {
            longest = steps;
            argmax = i;
        }
    }
    return longest == 178 && argmax == 871;
}

int64_t bench_compute_default_n(void)
{
    return 3000;
}
