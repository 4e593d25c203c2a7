// zlib and zstd, which Debian's LLVM is built with (compressed debug
// sections, offloading bundles). The kernel has neither library: the
// compressors report failure, and nothing we JIT is compressed. crc32 is
// real, because llvm::crc32 forwards to zlib's and callers use the value.
#include "runtime/Runtime.h"

#include <cstddef>
#include <cstdint>

namespace {
// zlib.h / zstd.h constants (their headers are not needed for these).
constexpr int z_stream_error = -2;
constexpr int z_data_error = -3;
constexpr size_t zstd_error_generic = size_t(-1);
constexpr size_t zstd_error_max = size_t(-120);
} // namespace

extern "C" {

unsigned long crc32(unsigned long crc, const unsigned char* data, unsigned int length)
{
    if (!data)
        return 0;
    uint32_t c = uint32_t(crc) ^ 0xffffffffu;
    for (unsigned int i = 0; i < length; ++i) {
        c ^= data[i];
        for (int bit = 0; bit < 8; ++bit)
            c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
    }
    return c ^ 0xffffffffu;
}

unsigned long compressBound(unsigned long size) { return size + (size >> 12) + (size >> 14) + (size >> 25) + 13; }

int compress2(unsigned char*, unsigned long*, const unsigned char*, unsigned long, int)
{
    FLUID_UNSUPPORTED("zlib compress2 (unsupported)");
    return z_stream_error;
}

int uncompress(unsigned char*, unsigned long*, const unsigned char*, unsigned long)
{
    FLUID_UNSUPPORTED("zlib uncompress (unsupported)");
    return z_data_error;
}

size_t ZSTD_compressBound(size_t size)
{
    return size + (size >> 8) + (size < (128u << 10) ? ((128u << 10) - size) >> 11 : 0);
}
unsigned ZSTD_isError(size_t code) { return code > zstd_error_max; }
const char* ZSTD_getErrorName(size_t) { return "zstd is not supported in the kernel"; }

// A context that is never used: the compressors refuse to run.
void* ZSTD_createCCtx() { return reinterpret_cast<void*>(uintptr_t(1)); }
size_t ZSTD_freeCCtx(void*) { return 0; }
size_t ZSTD_CCtx_setParameter(void*, int, int) { return 0; }

size_t ZSTD_compress2(void*, void*, size_t, const void*, size_t)
{
    FLUID_UNSUPPORTED("zstd compress (unsupported)");
    return zstd_error_generic;
}
size_t ZSTD_compress(void*, size_t, const void*, size_t, int)
{
    FLUID_UNSUPPORTED("zstd compress (unsupported)");
    return zstd_error_generic;
}
size_t ZSTD_decompress(void*, size_t, const void*, size_t)
{
    FLUID_UNSUPPORTED("zstd decompress (unsupported)");
    return zstd_error_generic;
}

} // extern "C"
