// Wide-character functions. llvm-libc 19 lacks most of them; libstdc++
// uses them for wstring, char_traits<wchar_t> and codecvt. Multibyte
// conversion follows the C locale: one byte per character, ASCII only,
// anything above 0x7f is EILSEQ (glibc's C locale is ANSI_X3.4-1968).
#include <cerrno>
#include <cwchar>

extern "C" {

size_t wcslen(const wchar_t* s)
{
    size_t n = 0;
    while (s[n])
        ++n;
    return n;
}

int wcscmp(const wchar_t* a, const wchar_t* b)
{
    for (;; ++a, ++b) {
        if (*a != *b)
            return *a < *b ? -1 : 1;
        if (!*a)
            return 0;
    }
}

int wmemcmp(const wchar_t* a, const wchar_t* b, size_t n)
{
    for (size_t i = 0; i < n; ++i) {
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    }
    return 0;
}

wchar_t* wmemchr(const wchar_t* s, wchar_t c, size_t n)
{
    for (size_t i = 0; i < n; ++i) {
        if (s[i] == c)
            return const_cast<wchar_t*>(s + i);
    }
    return nullptr;
}

wchar_t* wmemcpy(wchar_t* out, const wchar_t* in, size_t n)
{
    return static_cast<wchar_t*>(__builtin_memcpy(out, in, n * sizeof(wchar_t)));
}

wchar_t* wmemmove(wchar_t* out, const wchar_t* in, size_t n)
{
    return static_cast<wchar_t*>(__builtin_memmove(out, in, n * sizeof(wchar_t)));
}

wchar_t* wmemset(wchar_t* out, wchar_t c, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        out[i] = c;
    return out;
}

wint_t btowc(int c) { return c >= 0 && c < 0x80 ? wint_t(c) : WEOF; }

size_t mbrtowc(wchar_t* out, const char* in, size_t n, mbstate_t*)
{
    if (!in)
        return 0;
    if (n == 0)
        return size_t(-2);
    unsigned char byte = static_cast<unsigned char>(*in);
    if (byte >= 0x80) {
        errno = EILSEQ;
        return size_t(-1);
    }
    if (out)
        *out = byte;
    return byte ? 1 : 0;
}

size_t mbrlen(const char* in, size_t n, mbstate_t* state) { return mbrtowc(nullptr, in, n, state); }

size_t wcrtomb(char* out, wchar_t c, mbstate_t*)
{
    if (!out)
        return 1;
    if (c < 0 || c >= 0x80) {
        errno = EILSEQ;
        return size_t(-1);
    }
    *out = char(c);
    return 1;
}

// Converts at most `limit` bytes of *in; stops after a NUL (and sets *in
// to null) or when `count` wide characters are stored.
size_t mbsnrtowcs(wchar_t* out, const char** in, size_t limit, size_t count, mbstate_t*)
{
    const char* s = *in;
    size_t done = 0;
    for (; limit > 0 && (!out || done < count); ++s, --limit) {
        unsigned char byte = static_cast<unsigned char>(*s);
        if (byte >= 0x80) {
            errno = EILSEQ;
            if (out)
                *in = s;
            return size_t(-1);
        }
        if (out)
            out[done] = byte;
        if (!byte) {
            if (out)
                *in = nullptr;
            return done;
        }
        ++done;
    }
    if (out)
        *in = s;
    return done;
}

size_t mbsrtowcs(wchar_t* out, const char** in, size_t count, mbstate_t* state)
{
    return mbsnrtowcs(out, in, size_t(-1), count, state);
}

size_t wcsnrtombs(char* out, const wchar_t** in, size_t limit, size_t count, mbstate_t*)
{
    const wchar_t* s = *in;
    size_t done = 0;
    for (; limit > 0 && (!out || done < count); ++s, --limit) {
        wchar_t c = *s;
        if (c < 0 || c >= 0x80) {
            errno = EILSEQ;
            if (out)
                *in = s;
            return size_t(-1);
        }
        if (out)
            out[done] = char(c);
        if (!c) {
            if (out)
                *in = nullptr;
            return done;
        }
        ++done;
    }
    if (out)
        *in = s;
    return done;
}

size_t wcsrtombs(char* out, const wchar_t** in, size_t count, mbstate_t* state)
{
    return wcsnrtombs(out, in, size_t(-1), count, state);
}

} // extern "C"
