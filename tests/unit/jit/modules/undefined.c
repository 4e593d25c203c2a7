/* Negative test: calls printf, which the kernel does not export. Loading
   this module must fail with an error that names 'printf'. */
#include <fluid/module.h>

int printf(const char* format, ...);

int64_t bad(int64_t x)
{
    printf("x = %ld\n", (long)x);
    return x;
}
