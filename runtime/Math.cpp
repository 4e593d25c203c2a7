// Math functions llvm-libc 19 lacks: pow, atan, atan2, asin, acos, sinh,
// cosh and tanh. LLVM's constant folder calls them on the host, so a
// folded `pow(10.0, 2.0)` must come out exactly as glibc's would: the
// results here are computed in the x87's 64-bit-mantissa extended
// precision (FPATAN, FYL2X, F2XM1, FSCALE — what glibc's i386 libm used)
// and rounded once to double, which keeps them within about one ulp and
// exact where the true result is representable. Special values follow
// C99 Annex F. Unlike llvm-libc's math these need no AVX2/FMA.
#include <cmath>
#include <cstdint>

namespace {

using f80 = long double;
constexpr f80 log2_e = 1.44269504088896340735992468100189214L;

f80 x87_atan2(f80 y, f80 x)
{
    f80 r;
    asm("fpatan" : "=t"(r) : "0"(x), "u"(y) : "st(1)");
    return r;
}

f80 x87_sqrt(f80 x)
{
    asm("fsqrt" : "+t"(x));
    return x;
}

// y * log2(x), x > 0.
f80 x87_ylog2x(f80 y, f80 x)
{
    f80 r;
    asm("fyl2x" : "=t"(r) : "0"(x), "u"(y) : "st(1)");
    return r;
}

// 2^t - 1 for |t| <= 1.
f80 x87_exp2m1(f80 t)
{
    asm("f2xm1" : "+t"(t));
    return t;
}

// 2^t for finite t.
f80 x87_exp2(f80 t)
{
    f80 n;
    asm("frndint" : "=t"(n) : "0"(t));
    f80 r = x87_exp2m1(t - n) + 1.0L;
    asm("fscale" : "+t"(r) : "u"(n));
    return r;
}

// e^x - 1, accurate near 0.
f80 expm1_f80(f80 x)
{
    f80 t = x * log2_e;
    if (t >= -1.0L && t <= 1.0L)
        return x87_exp2m1(t);
    return x87_exp2(t) - 1.0L;
}

// The NaN an invalid operation produces on x86 (the negative "default
// NaN"), which is what glibc returns for pow(-2, 0.5) or asin(2).
double invalid()
{
    volatile double zero = 0.0;
    return zero / zero;
}

// Without calling trunc/fmod: llvm-libc's are built for AVX2/FMA.
bool is_integer(double y) { return std::fabs(y) >= 4503599627370496.0 || double(int64_t(y)) == y; }
bool is_odd_integer(double y)
{
    return std::fabs(y) < 9007199254740992.0 && double(int64_t(y)) == y && (int64_t(y) & 1);
}

} // namespace

extern "C" {

double atan2(double y, double x) { return double(x87_atan2(y, x)); }
double atan(double x) { return double(x87_atan2(x, 1.0L)); }

double asin(double x)
{
    if (std::isnan(x) || std::fabs(x) > 1.0)
        return std::isnan(x) ? x : invalid();
    f80 v = x;
    return double(x87_atan2(v, x87_sqrt((1.0L - v) * (1.0L + v))));
}

double acos(double x)
{
    if (std::isnan(x) || std::fabs(x) > 1.0)
        return std::isnan(x) ? x : invalid();
    f80 v = x;
    return double(x87_atan2(x87_sqrt((1.0L - v) * (1.0L + v)), v));
}

double sinh(double x)
{
    if (std::isnan(x) || std::isinf(x) || x == 0.0)
        return x;
    f80 a = std::fabs(x);
    f80 r;
    if (a < 0.5L) {
        f80 e = expm1_f80(a); // (E + E/(E+1)) / 2 keeps the precision near 0
        r = (e + e / (e + 1.0L)) / 2.0L;
    } else {
        f80 e = x87_exp2(a * log2_e);
        r = (e - 1.0L / e) / 2.0L;
    }
    return double(x < 0 ? -r : r);
}

double cosh(double x)
{
    if (std::isnan(x))
        return x;
    if (std::isinf(x))
        return INFINITY;
    f80 e = x87_exp2(std::fabs(x) * log2_e);
    return double((e + 1.0L / e) / 2.0L);
}

double tanh(double x)
{
    if (std::isnan(x) || x == 0.0)
        return x;
    f80 a = std::fabs(x);
    if (a > 23.0L)
        return x < 0 ? -1.0 : 1.0;
    f80 t = expm1_f80(2.0L * a);
    f80 r = t / (t + 2.0L);
    return double(x < 0 ? -r : r);
}

double pow(double x, double y)
{
    if (y == 0.0 || x == 1.0)
        return 1.0;
    if (std::isnan(x) || std::isnan(y))
        return x + y;
    bool odd = is_odd_integer(y);
    if (std::isinf(y)) {
        double ax = std::fabs(x);
        if (ax == 1.0)
            return 1.0;
        return (ax < 1.0) == (y < 0) ? INFINITY : 0.0;
    }
    if (x == 0.0 || std::isinf(x)) {
        // |x| is 0 or infinity: the result is 0 or infinity, with x's sign
        // only for odd integer y.
        bool big = (x == 0.0) == (y < 0);
        double magnitude = big ? INFINITY : 0.0;
        return odd && std::signbit(x) ? -magnitude : magnitude;
    }
    if (x < 0 && !is_integer(y))
        return invalid();
    f80 base = std::fabs(x);
    f80 r;
    if (is_integer(y) && std::fabs(y) <= 64.0) {
        // Small integer powers by squaring: exact whenever the result fits.
        uint64_t n = uint64_t(std::fabs(y));
        r = 1.0L;
        for (f80 b = base; n; n >>= 1, b *= b) {
            if (n & 1)
                r *= b;
        }
        if (y < 0)
            r = 1.0L / r;
    } else {
        f80 t = x87_ylog2x(y, base);
        if (t > 16400.0L)
            r = INFINITY;
        else if (t < -16500.0L)
            r = 0.0L;
        else
            r = x87_exp2(t);
    }
    return double(x < 0 && odd ? -r : r);
}

} // extern "C"
