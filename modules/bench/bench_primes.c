/*
 * Benchmark workload "primes": the sieve of Eratosthenes, counting primes
 * below n. See bench_fibonacci.c for the three entry points.
 */
#include <fluid/module.h>

/* pi(limit): the number of primes below limit, or -1 without memory. */
static int64_t count_primes(int64_t limit)
{
    if (limit < 3)
        return 0; /* no primes below 2, and 2 is not below 2 */
    uint8_t* composite = (uint8_t*)fluid_alloc((size_t)limit);
    if (!composite)
        return -1;
    for (int64_t i = 0; i < limit; ++i)
        composite[i] = 0;
    int64_t count = 0;
    for (int64_t i = 2; i < limit; ++i) {
        if (composite[i])
            continue;
        ++count;
        for (int64_t j = i * i; j < limit; j += i)
            composite[j] = 1;
    }
    fluid_free(composite);
    return count;
}

int64_t bench_primes_run(int64_t n)
{
    if (n < 0 || n > (1 << 28))
        return -1;
    return count_primes(n);
}

int64_t bench_primes_check(void)
{
    /* pi(10) = 4, pi(1000) = 168, pi(100000) = 9592 (OEIS A006880). */
    return count_primes(10) == 4 && count_primes(1000) == 168 && count_primes(100000) == 9592 &&
           count_primes(2) == 0 && count_primes(3) == 1;
}

int64_t bench_primes_default_n(void)
{
    return 200000;
}
