/*
 * Code that makes LLVM call helpers the source never names: 128-bit
 * division (__divti3, __udivti3, __modti3, __umodti3) and copies and
 * clears of large structs (memcpy, memset). Checks that the export table
 * provides them and that calls from JIT code into the kernel work.
 */
#include <fluid/module.h>

/* (a * b) / c and (a * b) % c without overflow; c must not be 0. */
int64_t wide_muldiv(int64_t a, int64_t b, int64_t c)
{
    __int128 product = (__int128)a * b;
    return (int64_t)(product / c);
}

int64_t wide_mulmod(int64_t a, int64_t b, int64_t c)
{
    __int128 product = (__int128)a * b;
    return (int64_t)(product % c);
}

/* Unsigned: (2^64 * hi + lo) / divisor, low 63 bits. */
int64_t wide_udiv(int64_t hi, int64_t lo, int64_t divisor)
{
    unsigned __int128 value = ((unsigned __int128)(uint64_t)hi << 64) | (uint64_t)lo;
    unsigned __int128 quotient = value / (uint64_t)divisor;
    unsigned __int128 remainder = value % (uint64_t)divisor;
    return (int64_t)((quotient ^ remainder) & 0x7fffffffffffffffull);
}

/* 4 KiB: larger than any inline expansion, so copies call memcpy. */
struct Block {
    int64_t values[512];
};

static struct Block g_blocks[3];

static void clear_block(struct Block* block)
{
    *block = (struct Block) { 0 };
}

/* Fills a block, copies it around through a global array and returns a
   checksum; every step is a struct assignment. */
int64_t big_copy(int64_t seed)
{
    struct Block local;
    clear_block(&local);
    for (int64_t i = 0; i < 512; ++i)
        local.values[i] = seed * (i + 1);
    g_blocks[0] = local;
    g_blocks[1] = g_blocks[0];
    clear_block(&g_blocks[0]);
    g_blocks[2] = g_blocks[1];
    int64_t sum = 0;
    for (int64_t i = 0; i < 512; ++i)
        sum += g_blocks[2].values[i] - g_blocks[0].values[i];
    return sum;
}

/* Says hello through the kernel API; returns the length printed. */
int64_t hello(void)
{
    fluid_print("hello from a module\n");
    fluid_print_i64(42);
    return 20;
}
