/*
 * Benchmark workload "strops": byte-string work written out by hand
 * (modules have no libc): length, copy, upper-casing, substring search
 * and FNV-1a hashing. See bench_fibonacci.c for the three entry points.
 */
#include <fluid/module.h>

static uint64_t string_length(const char* s)
{
    uint64_t n = 0;
    while (s[n])
        ++n;
    return n;
}

static void copy_upper(char* out, const char* in)
{
    for (; *in; ++in, ++out)
        *out = (*in >= 'a' && *in <= 'z') ? (char)(*in - 32) : *in;
    *out = 0;
}

/* Index of the first `needle` in `haystack`, or -1. */
static int64_t find(const char* haystack, const char* needle, int64_t from)
{
    uint64_t needle_length = string_length(needle);
    for (int64_t i = from; haystack[i]; ++i) {
        uint64_t j = 0;
        while (j < needle_length && haystack[i + j] == needle[j])
            ++j;
        if (j == needle_length)
            return i;
    }
    return -1;
}

/* Occurrences of needle, overlapping ones included. */
static int64_t count(const char* haystack, const char* needle)
{
    int64_t total = 0;
    for (int64_t at = find(haystack, needle, 0); at >= 0; at = find(haystack, needle, at + 1))
        ++total;
    return total;
}

static uint64_t fnv1a(const char* s)
{
    uint64_t hash = 0xcbf29ce484222325ull;
    for (; *s; ++s) {
        hash ^= (uint8_t)*s;
        hash *= 0x100000001b3ull;
    }
    return hash;
}

static const char* const words[8] = { "fluid ", "jit ", "kernel ", "tier ", "swap ", "bitcode ", "module ", "flu " };

/* Builds n*64 bytes of text from a word list, upper-cases it, counts and hashes. */
int64_t bench_strops_run(int64_t n)
{
    if (n < 1 || n > (1 << 20))
        return -1;
    uint64_t capacity = (uint64_t)n * 64 + 16;
    char* text = (char*)fluid_alloc(capacity);
    char* upper = (char*)fluid_alloc(capacity);
    int64_t checksum = -1;
    if (text && upper) {
        uint64_t used = 0, state = 3;
        while (used + 9 < capacity - 1) {
            state = state * 6364136223846793005ull + 1442695040888963407ull;
            for (const char* w = words[(state >> 40) & 7]; *w; ++w)
                text[used++] = *w;
        }
        text[used] = 0;
        copy_upper(upper, text);
        checksum = count(text, "flu") * 1000003 + count(upper, "KERNEL ") * 1009 +
                   (int64_t)string_length(upper) + (int64_t)(fnv1a(upper) & 0xffffffff);
    }
    fluid_free(text);
    fluid_free(upper);
    return checksum;
}

int64_t bench_strops_check(void)
{
    char buffer[32];
    if (string_length("") != 0 || string_length("hello") != 5)
        return 0;
    copy_upper(buffer, "Hello, World 42");
    if (find(buffer, "HELLO, WORLD 42", 0) != 0 || string_length(buffer) != 15)
        return 0;
    if (find("hello world", "world", 0) != 6 || find("hello", "xyz", 0) != -1)
        return 0;
    if (count("abababa", "aba") != 3 || count("aaaa", "aa") != 3)
        return 0;
    /* FNV-1a 64-bit test vectors (Fowler, Noll, Vo). */
    return fnv1a("") == 0xcbf29ce484222325ull && fnv1a("a") == 0xaf63dc4c8601ec8cull &&
           fnv1a("foobar") == 0x85944171f73967e8ull;
}

int64_t bench_strops_default_n(void)
{
    return 256;
}
