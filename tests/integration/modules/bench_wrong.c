/*
 * A benchmark workload with a bug on purpose, shipped as a test fixture:
 * its sum stops one short (i < 100 instead of i <= 100), so the self-check
 * against the closed form 100 * 101 / 2 fails. The suite must report it as
 * "check":"fail" and must not present its timings as results.
 */
#include <fluid/module.h>

static int64_t sum_to(int64_t limit)
{
    int64_t total = 0;
    for (int64_t i = 1; i < limit; ++i) /* the bug */
        total += i;
    return total;
}

int64_t bench_wrong_run(int64_t n)
{
    return sum_to(n);
}

int64_t bench_wrong_check(void)
{
    return sum_to(100) == 5050;
}

int64_t bench_wrong_default_n(void)
{
    return 1000;
}
