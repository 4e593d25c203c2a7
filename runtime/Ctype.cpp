// glibc's ctype tables for the "C" locale. glibc's <ctype.h> macros and
// libstdc++'s ctype<char> index these directly: __ctype_b_loc() returns a
// pointer to a pointer into a table of 384 entries covering -128..255, so
// both `signed char` values and EOF (-1) index it. The class masks are
// glibc's _ISbit() values, byte-swapped on little-endian machines;
// <ctype.h> already defines them that way (_ISupper, _ISalpha, ...).
// In the C locale the bytes 0x80-0xff belong to no class and map to
// themselves.
#include <ctype.h>
#include <cstddef>
#include <cstdint>

namespace {

constexpr unsigned short classify(int c)
{
    unsigned short m = 0;
    bool upper = c >= 'A' && c <= 'Z';
    bool lower = c >= 'a' && c <= 'z';
    bool digit = c >= '0' && c <= '9';
    bool space = c == ' ' || (c >= '\t' && c <= '\r');
    bool print = c >= 0x20 && c < 0x7f;
    bool alpha = upper || lower;
    bool xdigit = digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (upper)
        m |= _ISupper;
    if (lower)
        m |= _ISlower;
    if (alpha)
        m |= _ISalpha;
    if (digit)
        m |= _ISdigit;
    if (xdigit)
        m |= _ISxdigit;
    if (space)
        m |= _ISspace;
    if (print)
        m |= _ISprint;
    if (print && c != ' ')
        m |= _ISgraph;
    if (c == ' ' || c == '\t')
        m |= _ISblank;
    if ((c >= 0 && c < 0x20) || c == 0x7f)
        m |= _IScntrl;
    if (print && c != ' ' && !alpha && !digit)
        m |= _ISpunct;
    if (alpha || digit)
        m |= _ISalnum;
    return m;
}

struct Tables {
    unsigned short classes[384];
    int32_t lower[384];
    int32_t upper[384];
};

constexpr Tables make_tables()
{
    Tables t {};
    for (int i = 0; i < 384; ++i) {
        int c = i - 128;
        // glibc: entries for -128..-1 hold the unsigned byte value, except
        // that -1 (EOF) maps to itself.
        int byte = c == -1 ? -1 : c & 0xff;
        t.classes[i] = c < 0 ? 0 : classify(c);
        t.lower[i] = (byte >= 'A' && byte <= 'Z') ? byte + 32 : byte;
        t.upper[i] = (byte >= 'a' && byte <= 'z') ? byte - 32 : byte;
    }
    return t;
}

constexpr Tables tables = make_tables();

const unsigned short* class_table = tables.classes + 128;
const int32_t* lower_table = tables.lower + 128;
const int32_t* upper_table = tables.upper + 128;

} // namespace

namespace fluid::runtime {
// For the C locale object in Locale.cpp.
const unsigned short* c_ctype_classes() { return class_table; }
const int32_t* c_ctype_lower() { return lower_table; }
const int32_t* c_ctype_upper() { return upper_table; }
} // namespace fluid::runtime

extern "C" {

// glibc keeps these per thread because uselocale() can change them; with
// only the C locale they are the same for every thread.
const unsigned short** __ctype_b_loc() { return &class_table; }
const int32_t** __ctype_tolower_loc() { return &lower_table; }
const int32_t** __ctype_toupper_loc() { return &upper_table; }

// MB_CUR_MAX: the C locale is single-byte (ASCII).
size_t __ctype_get_mb_cur_max() { return 1; }

} // extern "C"
