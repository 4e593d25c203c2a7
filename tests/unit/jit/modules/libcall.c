/* Negative test: the source names no undefined function, but the code
   generator lowers `frem` to a call to fmod, which the kernel does not
   export. The error must name 'fmod' although the IR never declares it. */
#include <fluid/module.h>

int64_t remainder_of(int64_t a, int64_t b)
{
    double x = (double)a;
    double y = (double)b;
    return (int64_t)__builtin_fmod(x, y);
}
