/*
 * Benchmark workload "sha256": FIPS 180-4 SHA-256, checked against the
 * published test vectors. See bench_fibonacci.c for the three entry points.
 */
#include <fluid/module.h>

static const uint32_t sha_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t rotr(uint32_t x, unsigned n)
{
    return (x >> n) | (x << (32 - n));
}

static void sha256_block(uint32_t state[8], const uint8_t* block)
{
    uint32_t w[64];
    for (int i = 0; i < 16; ++i)
        w[i] = (uint32_t)block[4 * i] << 24 | (uint32_t)block[4 * i + 1] << 16 | (uint32_t)block[4 * i + 2] << 8 |
               (uint32_t)block[4 * i + 3];
    for (int i = 16; i < 64; ++i) {
        uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    for (int i = 0; i < 64; ++i) {
        uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + sha_k[i] + w[i];
        uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        h = g; g = f; f = e; e = d + t1;
        d = c; c = b; b = a; a = t1 + t2;
    }
    state[0] += a; state[1] += b; state[2] += c; state[3] += d;
    state[4] += e; state[5] += f; state[6] += g; state[7] += h;
}

static void sha256(const uint8_t* data, uint64_t length, uint8_t digest[32])
{
    uint32_t state[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                          0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
    uint64_t done = 0;
    for (; length - done >= 64; done += 64)
        sha256_block(state, data + done);
    /* The padding: 0x80, zeros, the bit length big-endian; one or two blocks. */
    uint8_t tail[128];
    uint64_t rest = length - done;
    for (uint64_t i = 0; i < 128; ++i)
        tail[i] = i < rest ? data[done + i] : 0;
    tail[rest] = 0x80;
    uint64_t tail_length = rest < 56 ? 64 : 128;
    uint64_t bits = length * 8;
    for (int i = 0; i < 8; ++i)
        tail[tail_length - 1 - i] = (uint8_t)(bits >> (8 * i));
    sha256_block(state, tail);
    if (tail_length == 128)
        sha256_block(state, tail + 64);
    for (int i = 0; i < 32; ++i)
        digest[i] = (uint8_t)(state[i / 4] >> (24 - 8 * (i % 4)));
}

static int digest_is(const uint8_t digest[32], const uint8_t expected[32])
{
    for (int i = 0; i < 32; ++i)
        if (digest[i] != expected[i])
            return 0;
    return 1;
}

#define SHA_BUFFER 8192
static uint8_t sha_buffer[SHA_BUFFER];

/* Hashes 8 KiB n times, feeding each digest into the next message. */
int64_t bench_sha256_run(int64_t n)
{
    for (int i = 0; i < SHA_BUFFER; ++i)
        sha_buffer[i] = (uint8_t)(i * 31 + 7);
    uint8_t digest[32] = { 0 };
    for (int64_t round = 0; round < n; ++round) {
        for (int i = 0; i < 32; ++i)
            sha_buffer[i] = digest[i];
        sha256(sha_buffer, SHA_BUFFER, digest);
    }
    int64_t checksum = 0;
    for (int i = 0; i < 8; ++i)
        checksum = checksum << 8 | digest[i];
    return checksum & 0x7fffffffffffffffll;
}

int64_t bench_sha256_check(void)
{
    /* FIPS 180-2 appendix B and the empty-string vector. */
    static const uint8_t empty[32] = {
        0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24,
        0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
    };
    static const uint8_t abc[32] = {
        0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
        0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
    };
    static const uint8_t two_blocks[32] = {
        0x24, 0x8d, 0x6a, 0x61, 0xd2, 0x06, 0x38, 0xb8, 0xe5, 0xc0, 0x26, 0x93, 0x0c, 0x3e, 0x60, 0x39,
        0xa3, 0x3c, 0xe4, 0x59, 0x64, 0xff, 0x21, 0x67, 0xf6, 0xec, 0xed, 0xd4, 0x19, 0xdb, 0x06, 0xc1,
    };
    static const char message[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    uint8_t digest[32];
    sha256((const uint8_t*)"", 0, digest);
    if (!digest_is(digest, empty))
        return 0;
    sha256((const uint8_t*)"abc", 3, digest);
    if (!digest_is(digest, abc))
        return 0;
    sha256((const uint8_t*)message, sizeof(message) - 1, digest);
    return digest_is(digest, two_blocks);
}

int64_t bench_sha256_default_n(void)
{
    return 4;
}
