/*
 * Benchmark workload "fibonacci": recursive Fibonacci, a call-heavy loop
 * that O3 cannot vectorise but can partly inline.
 *
 * Every workload module exports the same three functions (docs/MODULES.md):
 *   bench_NAME_run(n)      one unit of work of size n; returns a checksum
 *   bench_NAME_check()     a deterministic self-check: 1 pass, 0 fail
 *   bench_NAME_default_n() the n the suite times (about 0.1 ms at O3 on a PC)
 */
#include <fluid/module.h>

static int64_t fib_recursive(int64_t n)
{
    if (n < 2)
        return n;
    return fib_recursive(n - 1) + fib_recursive(n - 2);
}

static int64_t fib_iterative(int64_t n)
{
    int64_t a = 0, b = 1;
    for (int64_t i = 0; i < n; ++i) {
        int64_t next = a + b;
        a = b;
        b = next;
    }
    return a;
}

int64_t bench_fibonacci_run(int64_t n)
{
    if (n < 0 || n > 40)
        return -1;
    return fib_recursive(n);
}

int64_t bench_fibonacci_check(void)
{
    /* Published values: F(20) = 6765, F(25) = 75025, F(90) fits in int64. */
    if (fib_recursive(20) != 6765 || fib_recursive(25) != 75025)
        return 0;
    if (fib_iterative(90) != 2880067194370816120ll)
        return 0;
    for (int64_t i = 0; i <= 22; ++i)
        if (fib_recursive(i) != fib_iterative(i))
            return 0;
    return 1;
}

int64_t bench_fibonacci_default_n(void)
{
    return 24;
}
