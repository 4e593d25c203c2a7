// _FORTIFY_SOURCE entry points. Debian builds LLVM and libstdc++ with
// FORTIFY, so the compiler replaced some memcpy/snprintf calls whose
// destination size it knew with these checked versions: they take the
// destination's size as an extra argument and must stop the program when
// it is too small — here, a panic naming the function.
#include "kernel/Panic.h"

#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <cwchar>
#include <unistd.h>

namespace {

[[noreturn]] void overflow(const char* function)
{
    fluid::panic("buffer overflow detected by %s", function);
}

} // namespace

extern "C" {

[[noreturn]] void __chk_fail() { overflow("__chk_fail"); }

void* __memcpy_chk(void* out, const void* in, size_t size, size_t capacity)
{
    if (size > capacity)
        overflow("__memcpy_chk");
    return memcpy(out, in, size);
}

void* __memmove_chk(void* out, const void* in, size_t size, size_t capacity)
{
    if (size > capacity)
        overflow("__memmove_chk");
    return memmove(out, in, size);
}

void* __mempcpy_chk(void* out, const void* in, size_t size, size_t capacity)
{
    if (size > capacity)
        overflow("__mempcpy_chk");
    return static_cast<char*>(memcpy(out, in, size)) + size;
}

void* __memset_chk(void* out, int c, size_t size, size_t capacity)
{
    if (size > capacity)
        overflow("__memset_chk");
    return memset(out, c, size);
}

char* __strcpy_chk(char* out, const char* in, size_t capacity)
{
    size_t length = strlen(in);
    if (length >= capacity)
        overflow("__strcpy_chk");
    return static_cast<char*>(memcpy(out, in, length + 1));
}

char* __strncpy_chk(char* out, const char* in, size_t size, size_t capacity)
{
    if (size > capacity)
        overflow("__strncpy_chk");
    return strncpy(out, in, size);
}

char* __strcat_chk(char* out, const char* in, size_t capacity)
{
    size_t used = strlen(out);
    size_t length = strlen(in);
    if (used + length >= capacity)
        overflow("__strcat_chk");
    memcpy(out + used, in, length + 1);
    return out;
}

wchar_t* __wmemcpy_chk(wchar_t* out, const wchar_t* in, size_t count, size_t capacity)
{
    if (count > capacity)
        overflow("__wmemcpy_chk");
    return wmemcpy(out, in, count);
}

wchar_t* __wmemset_chk(wchar_t* out, wchar_t c, size_t count, size_t capacity)
{
    if (count > capacity)
        overflow("__wmemset_chk");
    return wmemset(out, c, count);
}

// `flag` is the FORTIFY level (it asks for %n checks); we have no %n to
// worry about because llvm-libc's printf rejects it.
int __vsnprintf_chk(char* out, size_t size, int, size_t capacity, const char* format, va_list args)
{
    if (size > capacity)
        overflow("__vsnprintf_chk");
    return vsnprintf(out, size, format, args);
}

int __snprintf_chk(char* out, size_t size, int flag, size_t capacity, const char* format, ...)
{
    va_list args;
    va_start(args, format);
    int result = __vsnprintf_chk(out, size, flag, capacity, format, args);
    va_end(args);
    return result;
}

// sprintf has no size: format into the known capacity and fail if the
// result did not fit.
int __vsprintf_chk(char* out, int, size_t capacity, const char* format, va_list args)
{
    if (capacity == 0)
        overflow("__vsprintf_chk");
    int result = vsnprintf(out, capacity, format, args);
    if (result >= 0 && size_t(result) >= capacity)
        overflow("__vsprintf_chk");
    return result;
}

int __sprintf_chk(char* out, int flag, size_t capacity, const char* format, ...)
{
    va_list args;
    va_start(args, format);
    int result = __vsprintf_chk(out, flag, capacity, format, args);
    va_end(args);
    return result;
}

int __vfprintf_chk(FILE* stream, int, const char* format, va_list args) { return vfprintf(stream, format, args); }

int __fprintf_chk(FILE* stream, int, const char* format, ...)
{
    va_list args;
    va_start(args, format);
    int result = vfprintf(stream, format, args);
    va_end(args);
    return result;
}

int __vprintf_chk(int, const char* format, va_list args) { return vfprintf(stdout, format, args); }

int __printf_chk(int, const char* format, ...)
{
    va_list args;
    va_start(args, format);
    int result = vfprintf(stdout, format, args);
    va_end(args);
    return result;
}

ssize_t __read_chk(int fd, void* buffer, size_t size, size_t capacity)
{
    if (size > capacity)
        overflow("__read_chk");
    return read(fd, buffer, size);
}

} // extern "C"
