/*
 * Benchmark workload "quicksort": median-of-three quicksort with insertion
 * sort for short ranges, on 32-bit integers. The check verifies the output
 * is sorted and a permutation of the input. See bench_fibonacci.c for the
 * three entry points.
 */
#include <fluid/module.h>

static void insertion_sort(int32_t* a, int64_t low, int64_t high)
{
    for (int64_t i = low + 1; i <= high; ++i) {
        int32_t value = a[i];
        int64_t j = i - 1;
        for (; j >= low && a[j] > value; --j)
            a[j + 1] = a[j];
        a[j + 1] = value;
    }
}

static void swap(int32_t* a, int64_t i, int64_t j)
{
    int32_t t = a[i];
    a[i] = a[j];
    a[j] = t;
}

/* Sorts a[low..high]; recurses on the smaller side so the stack stays O(log n). */
static void quicksort(int32_t* a, int64_t low, int64_t high)
{
    while (high - low > 16) {
        int64_t mid = low + (high - low) / 2;
        if (a[mid] < a[low]) swap(a, mid, low);
        if (a[high] < a[low]) swap(a, high, low);
        if (a[high] < a[mid]) swap(a, high, mid);
        int32_t pivot = a[mid];
        int64_t i = low, j = high;
        while (i <= j) {
            while (a[i] < pivot) ++i;
            while (a[j] > pivot) --j;
            if (i <= j)
                swap(a, i++, j--);
        }
        if (j - low < high - i) {
            quicksort(a, low, j);
            low = i;
        } else {
            quicksort(a, i, high);
            high = j;
        }
    }
    insertion_sort(a, low, high);
}

static void fill(int32_t* a, int64_t count, uint64_t seed, uint32_t range)
{
    uint64_t state = seed;
    for (int64_t i = 0; i < count; ++i) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        a[i] = (int32_t)((state >> 33) % range) - (int32_t)(range / 2);
    }
}

/* Sorts n pseudo-random integers; returns a position-weighted sum, or -1. */
int64_t bench_quicksort_run(int64_t n)
{
    if (n < 1 || n > (1 << 24))
        return -1;
    int32_t* a = (int32_t*)fluid_alloc((size_t)n * sizeof(int32_t));
    if (!a)
        return -1;
    fill(a, n, 99, 1u << 30);
    quicksort(a, 0, n - 1);
    int64_t checksum = 0;
    for (int64_t i = 0; i < n; ++i)
        checksum += (int64_t)a[i] * (i % 13 + 1);
    fluid_free(a);
    return checksum;
}

/* Sorted, and the same multiset as before (values in -128..127). */
static int sorted_permutation(int32_t* a, int64_t count)
{
    int64_t before[256] = { 0 }, after[256] = { 0 };
    for (int64_t i = 0; i < count; ++i)
        ++before[a[i] + 128];
    quicksort(a, 0, count - 1);
    for (int64_t i = 0; i < count; ++i) {
        ++after[a[i] + 128];
        if (i > 0 && a[i - 1] > a[i])
            return 0;
    }
    for (int i = 0; i < 256; ++i)
        if (before[i] != after[i])
            return 0;
    return 1;
}

int64_t bench_quicksort_check(void)
{
    enum { count = 1000 };
    int32_t a[count];
    fill(a, count, 5, 256); /* many duplicates */
    if (!sorted_permutation(a, count))
        return 0;
    for (int64_t i = 0; i < count; ++i) /* already sorted */
        a[i] = (int32_t)(i % 256) - 128;
    if (!sorted_permutation(a, 256))
        return 0;
    for (int64_t i = 0; i < count; ++i) /* descending */
        a[i] = 127 - (int32_t)(i * 255 / count);
    if (!sorted_permutation(a, count))
        return 0;
    int32_t small[5] = { 3, -1, 2, -1, 0 };
    quicksort(small, 0, 4);
    return small[0] == -1 && small[1] == -1 && small[2] == 0 && small[3] == 2 && small[4] == 3;
}

int64_t bench_quicksort_default_n(void)
{
    return 20000;
}
