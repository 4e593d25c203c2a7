/*
 * Benchmark workload "fft_1d": an in-place radix-2 complex FFT in double
 * precision (1024 points), checked against a direct DFT. See
 * bench_fibonacci.c for the three entry points.
 */
#include <fluid/module.h>

#define FFT_PI 3.14159265358979323846
#define FFT_MAX 1024

static double twiddle_re[FFT_MAX / 2], twiddle_im[FFT_MAX / 2];

static void make_twiddles(int64_t size)
{
    for (int64_t k = 0; k < size / 2; ++k) {
        double angle = -2.0 * FFT_PI * (double)k / (double)size;
        twiddle_re[k] = cos(angle);
        twiddle_im[k] = sin(angle);
    }
}

/* size is a power of two <= FFT_MAX; make_twiddles(size) ran first. */
static void fft(double* re, double* im, int64_t size)
{
    for (int64_t i = 1, j = 0; i < size; ++i) {
        int64_t bit = size >> 1;
        for (; j & bit; bit >>= 1)
            j ^= bit;
        j ^= bit;
        if (i < j) {
            double t = re[i]; re[i] = re[j]; re[j] = t;
            t = im[i]; im[i] = im[j]; im[j] = t;
        }
    }
    for (int64_t length = 2; length <= size; length <<= 1) {
        int64_t step = size / length;
        for (int64_t start = 0; start < size; start += length) {
            for (int64_t k = 0; k < length / 2; ++k) {
                double wr = twiddle_re[k * step], wi = twiddle_im[k * step];
                int64_t a = start + k, b = a + length / 2;
                double xr = re[b] * wr - im[b] * wi;
                double xi = re[b] * wi + im[b] * wr;
                re[b] = re[a] - xr;
                im[b] = im[a] - xi;
                re[a] += xr;
                im[a] += xi;
            }
        }
    }
}

static void fill_signal(double* re, double* im, int64_t size, uint64_t seed)
{
    uint64_t state = seed;
    for (int64_t i = 0; i < size; ++i) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        re[i] = (double)(int64_t)((state >> 40) % 2001) / 1000.0 - 1.0;
        im[i] = 0.0;
    }
}

static double re_buffer[FFT_MAX], im_buffer[FFT_MAX];

/* n forward FFTs of 1024 points, each of a different signal. */
int64_t bench_fft_1d_run(int64_t n)
{
    make_twiddles(FFT_MAX);
    int64_t checksum = 0;
    for (int64_t round = 0; round < n; ++round) {
        fill_signal(re_buffer, im_buffer, FFT_MAX, (uint64_t)round + 1);
        fft(re_buffer, im_buffer, FFT_MAX);
        /* Coarse quantisation: tiers may contract a*b+c into an FMA
         * differently, which moves the last bits. */
        for (int64_t i = 0; i < FFT_MAX; i += 64)
            checksum += (int64_t)(re_buffer[i] * 16.0) + 3 * (int64_t)(im_buffer[i] * 16.0);
    }
    return checksum;
}

static double absolute(double x)
{
    return x < 0 ? -x : x;
}

int64_t bench_fft_1d_check(void)
{
    enum { size = 64 };
    double re[size], im[size], ref_re[size], ref_im[size];
    fill_signal(re, im, size, 42);
    for (int64_t i = 0; i < size; ++i)
        im[i] = re[(i * 7) % size] * 0.5;
    /* The direct DFT: X[k] = sum x[t] e^{-2 pi i k t / N}. */
    for (int64_t k = 0; k < size; ++k) {
        double sr = 0, si = 0;
        for (int64_t t = 0; t < size; ++t) {
            double angle = -2.0 * FFT_PI * (double)((k * t) % size) / (double)size;
            double c = cos(angle), s = sin(angle);
            sr += re[t] * c - im[t] * s;
            si += re[t] * s + im[t] * c;
        }
        ref_re[k] = sr;
        ref_im[k] = si;
    }
    make_twiddles(size);
    fft(re, im, size);
    for (int64_t k = 0; k < size; ++k)
        if (absolute(re[k] - ref_re[k]) > 1e-9 || absolute(im[k] - ref_im[k]) > 1e-9)
            return 0;
    /* An impulse transforms to all ones. */
    for (int64_t i = 0; i < size; ++i)
        re[i] = im[i] = 0;
    re[0] = 1;
    fft(re, im, size);
    for (int64_t k = 0; k < size; ++k)
        if (absolute(re[k] - 1.0) > 1e-12 || absolute(im[k]) > 1e-12)
            return 0;
    return 1;
}

int64_t bench_fft_1d_default_n(void)
{
    return 8;
}
