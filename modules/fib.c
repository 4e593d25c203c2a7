/* Recursive Fibonacci: a call-heavy benchmark. fib(30) = 832040. */
#include <fluid/module.h>

int64_t fib(int64_t n)
{
    if (n < 2)
        return n;
    return fib(n - 1) + fib(n - 2);
}
