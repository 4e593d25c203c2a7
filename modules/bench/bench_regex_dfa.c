/*
 * Benchmark workload "regex_dfa": a table-driven DFA for the regular
 * expression ab*c, run over pseudo-random text, and checked against a
 * naive matcher written straight from the expression. See
 * bench_fibonacci.c for the three entry points.
 */
#include <fluid/module.h>

/* States: 0 start, 1 after "a b*", 2 match (ab*c just ended), 3 dead (anchored only). */
enum { START = 0, IN_B = 1, MATCH = 2, DEAD = 3, STATES = 4 };

static uint8_t search_table[STATES][256];   /* unanchored: a match may start anywhere */
static uint8_t anchored_table[STATES][256]; /* the whole string must match */
static int tables_ready;

static void build_tables(void)
{
    for (int s = 0; s < STATES; ++s)
        for (int c = 0; c < 256; ++c) {
            /* Searching: an 'a' always (re)starts a candidate match. */
            uint8_t next = c == 'a' ? IN_B : START;
            if (s == IN_B && c == 'b')
                next = IN_B;
            if (s == IN_B && c == 'c')
                next = MATCH;
            search_table[s][c] = next;
            uint8_t anchored = DEAD;
            if (s == START && c == 'a')
                anchored = IN_B;
            if (s == IN_B && c == 'b')
                anchored = IN_B;
            if (s == IN_B && c == 'c')
                anchored = MATCH;
            anchored_table[s][c] = anchored;
        }
    tables_ready = 1;
}

/* Number of positions where a match of ab*c ends. */
static int64_t dfa_count(const uint8_t* text, int64_t length)
{
    int64_t matches = 0;
    uint8_t state = START;
    for (int64_t i = 0; i < length; ++i) {
        state = search_table[state][text[i]];
        matches += state == MATCH;
    }
    return matches;
}

static int dfa_full_match(const char* text)
{
    uint8_t state = START;
    for (; *text; ++text)
        state = anchored_table[state][(uint8_t)*text];
    return state == MATCH;
}

/* The same count without a DFA: for each 'c', look back over b* for an 'a'. */
static int64_t naive_count(const uint8_t* text, int64_t length)
{
    int64_t matches = 0;
    for (int64_t end = 0; end < length; ++end) {
        if (text[end] != 'c')
            continue;
        int64_t i = end - 1;
        while (i >= 0 && text[i] == 'b')
            --i;
        matches += i >= 0 && text[i] == 'a';
    }
    return matches;
}

static void fill(uint8_t* text, int64_t length, uint64_t seed)
{
    static const char alphabet[4] = { 'a', 'b', 'c', 'd' };
    uint64_t state = seed;
    for (int64_t i = 0; i < length; ++i) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        text[i] = (uint8_t)alphabet[(state >> 40) & 3];
    }
}

/* Counts matches in n KiB of text over {a,b,c,d}. */
int64_t bench_regex_dfa_run(int64_t n)
{
    if (n < 1 || n > (1 << 16))
        return -1;
    if (!tables_ready)
        build_tables();
    int64_t length = n * 1024;
    uint8_t* text = (uint8_t*)fluid_alloc((size_t)length);
    if (!text)
        return -1;
    fill(text, length, 17);
    int64_t matches = dfa_count(text, length);
    fluid_free(text);
    return matches;
}

int64_t bench_regex_dfa_check(void)
{
    build_tables();
    if (!dfa_full_match("ac") || !dfa_full_match("abc") || !dfa_full_match("abbbbc"))
        return 0;
    if (dfa_full_match("") || dfa_full_match("a") || dfa_full_match("bc") || dfa_full_match("abcc") ||
        dfa_full_match("abdc") || dfa_full_match("aac"))
        return 0;
    const char* sample = "xxacyyabbbczzabcaabc";
    int64_t length = 0;
    while (sample[length])
        ++length;
    if (dfa_count((const uint8_t*)sample, length) != 4)
        return 0;
    static uint8_t text[4096];
    fill(text, sizeof(text), 23);
    int64_t expected = naive_count(text, sizeof(text));
    return expected > 0 && dfa_count(text, sizeof(text)) == expected;
}

int64_t bench_regex_dfa_default_n(void)
{
    return 64;
}
