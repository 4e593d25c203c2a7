// stdio over the kernel console. glibc's `stdin`, `stdout` and `stderr` are
// `FILE*` variables that library code reads directly (LLVM's errs(),
// libstdc++'s verbose terminate handler, llvm-libc's printf), so they must
// point at real `FILE` objects. Ours are zero-filled glibc `struct _IO_FILE`s
// with only `_fileno` set: glibc's inline fast paths (putc_unlocked and
// friends) compare _IO_write_ptr with _IO_write_end and, both being null,
// always fall back to a function call we control. Nothing is buffered:
// every write goes straight to the console, so fflush has nothing to do.
// fopen and friends fail: there is no file system yet.
#include "kernel/drivers/Console.h"
#include "runtime/Runtime.h"

#include <arch/relax.h>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

constexpr FILE make_file(int fd)
{
    FILE file {};
    file._fileno = fd;
    return file;
}

constinit FILE stdin_file = make_file(0);
constinit FILE stdout_file = make_file(1);
constinit FILE stderr_file = make_file(2);

// flockfile must be recursive (glibc's is): a printf inside a callback of
// a locked stream must not deadlock its own thread.
struct StreamLock {
    std::atomic<int> owner { 0 }; // runtime::thread_id(), 0 = free
    int depth { 0 };
};
StreamLock stream_locks[3];

StreamLock* lock_of(FILE* stream)
{
    if (stream == &stdin_file)
        return &stream_locks[0];
    if (stream == &stdout_file)
        return &stream_locks[1];
    if (stream == &stderr_file)
        return &stream_locks[2];
    return nullptr;
}

bool is_output(FILE* stream) { return stream == &stdout_file || stream == &stderr_file; }

} // namespace

extern "C" {

FILE* stdin = &stdin_file;
FILE* stdout = &stdout_file;
FILE* stderr = &stderr_file;

void flockfile(FILE* stream)
{
    StreamLock* lock = lock_of(stream);
    if (!lock)
        return;
    int self = fluid::runtime::thread_id();
    if (lock->owner.load(std::memory_order_relaxed) == self) {
        ++lock->depth;
        return;
    }
    int expected = 0;
    while (!lock->owner.compare_exchange_weak(expected, self, std::memory_order_acquire,
                                              std::memory_order_relaxed)) {
        expected = 0;
        fluid::arch::relax();
    }
    lock->depth = 1;
}

int ftrylockfile(FILE* stream)
{
    StreamLock* lock = lock_of(stream);
    if (!lock)
        return 0;
    int self = fluid::runtime::thread_id();
    if (lock->owner.load(std::memory_order_relaxed) == self) {
        ++lock->depth;
        return 0;
    }
    int expected = 0;
    if (!lock->owner.compare_exchange_strong(expected, self, std::memory_order_acquire))
        return -1;
    lock->depth = 1;
    return 0;
}

void funlockfile(FILE* stream)
{
    StreamLock* lock = lock_of(stream);
    if (lock && --lock->depth == 0)
        lock->owner.store(0, std::memory_order_release);
}

size_t fwrite_unlocked(const void* data, size_t size, size_t count, FILE* stream)
{
    size_t bytes;
    if (__builtin_mul_overflow(size, count, &bytes) || !is_output(stream)) {
        errno = EBADF;
        return 0;
    }
    if (bytes)
        fluid::console().write(static_cast<const char*>(data), bytes);
    return count;
}

// The console serialises whole writes itself, so the locked variant only
// has to exclude a concurrent flockfile() holder.
size_t fwrite(const void* data, size_t size, size_t count, FILE* stream)
{
    flockfile(stream);
    size_t written = fwrite_unlocked(data, size, count, stream);
    funlockfile(stream);
    return written;
}

int fputs(const char* text, FILE* stream)
{
    size_t length = strlen(text);
    return fwrite(text, 1, length, stream) == length || length == 0 ? 1 : EOF;
}
int fputs_unlocked(const char* text, FILE* stream) { return fputs(text, stream); }

int fputc(int c, FILE* stream)
{
    char byte = char(c);
    return fwrite(&byte, 1, 1, stream) == 1 ? (unsigned char)c : EOF;
}
int putc(int c, FILE* stream) { return fputc(c, stream); }
int fputc_unlocked(int c, FILE* stream) { return fputc(c, stream); }
int putc_unlocked(int c, FILE* stream) { return fputc(c, stream); }
int putchar(int c) { return fputc(c, stdout); }
int putchar_unlocked(int c) { return fputc(c, stdout); }

int puts(const char* text)
{
    flockfile(stdout);
    int result = fputs(text, stdout) == EOF || fputc('\n', stdout) == EOF ? EOF : 1;
    funlockfile(stdout);
    return result;
}

int fflush(FILE*) { return 0; }
int fflush_unlocked(FILE*) { return 0; }
int fileno(FILE* stream) { return stream ? stream->_fileno : -1; }
int ferror(FILE*) { return 0; }
int feof(FILE*) { return 0; }
void clearerr(FILE*) { }
int setvbuf(FILE*, char*, int, size_t) { return 0; }
void setbuf(FILE*, char*) { }

// Formatting is llvm-libc's vsnprintf; short results stay on the stack.
int vfprintf(FILE* stream, const char* format, va_list args)
{
    char small[256];
    va_list again;
    va_copy(again, args);
    int length = vsnprintf(small, sizeof small, format, args);
    if (length < 0) {
        va_end(again);
        return length;
    }
    const char* text = small;
    char* large = nullptr;
    if (size_t(length) >= sizeof small) {
        large = static_cast<char*>(malloc(size_t(length) + 1));
        if (!large) {
            va_end(again);
            errno = ENOMEM;
            return -1;
        }
        vsnprintf(large, size_t(length) + 1, format, again);
        text = large;
    }
    va_end(again);
    size_t written = fwrite(text, 1, size_t(length), stream);
    free(large);
    return written == size_t(length) ? length : -1;
}

int fprintf(FILE* stream, const char* format, ...)
{
    va_list args;
    va_start(args, format);
    int result = vfprintf(stream, format, args);
    va_end(args);
    return result;
}

int vprintf(const char* format, va_list args) { return vfprintf(stdout, format, args); }

int printf(const char* format, ...)
{
    va_list args;
    va_start(args, format);
    int result = vfprintf(stdout, format, args);
    va_end(args);
    return result;
}

// No file system yet (issue 4 brings FAT16).
FILE* fopen(const char*, const char*)
{
    errno = ENOENT;
    return nullptr;
}
FILE* fopen64(const char* path, const char* mode) { return fopen(path, mode); }
FILE* fdopen(int, const char*)
{
    errno = EINVAL;
    return nullptr;
}
int fclose(FILE*) { return 0; }

size_t fread(void*, size_t, size_t, FILE*) { return 0; }
int fgetc(FILE*) { return EOF; }
int getc(FILE*) { return EOF; }
int getchar() { return EOF; }
int ungetc(int, FILE*) { return EOF; }

} // extern "C"
