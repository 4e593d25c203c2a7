// The "process": the kernel is one, forever. Identity queries answer with
// fixed values, the environment is empty (later: from the kernel command
// line), and every way out of the process (exit, abort, a failed assert —
// also std::terminate, whose default handler prints to stderr and calls
// abort) is a kernel panic naming what happened.
#include "kernel/Kernel.h"
#include "kernel/Panic.h"
#include "kernel/drivers/Console.h"
#include "runtime/Runtime.h"

#include <arch/clock.h>

#include <cerrno>
#include <climits>
#include <cstdarg>
#include <cstring>
#include <pwd.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

namespace fluid::runtime {

void report_unsupported(const char* name)
{
    fluid::kprintf("runtime: %s is not supported in the kernel\n", name);
}

} // namespace fluid::runtime

namespace {
char* empty_environment[] = { nullptr };
}

extern "C" {

char** environ = empty_environment;
char** __environ = empty_environment;

// The environment is the kernel command line's NAME=VALUE words (grub.cfg's
// multiboot2 line, ./fluid image --cmdline). LLVM reads e.g.
// LLVM_OVERRIDE_PRODUCER during static initialisation, before the boot
// information is parsed: the command line is empty then, so it gets null.
char* getenv(const char* name)
{
    // A private copy, split into NUL-terminated words on first use after boot.
    static char words[sizeof(fluid::BootInfo::command_line)];
    static bool split;
    const char* line = fluid::kernel().boot_info.command_line;
    if (!line[0] || !name || !name[0])
        return nullptr;
    if (!split) {
        strncpy(words, line, sizeof(words) - 1);
        for (char& c : words)
            if (c == ' ')
                c = 0;
        split = true;
    }
    size_t length = strlen(name);
    // strncpy zero-filled the rest, so empty slots are just skipped.
    for (size_t i = 0; i < sizeof(words);) {
        if (!words[i]) {
            ++i;
            continue;
        }
        char* word = &words[i];
        if (strncmp(word, name, length) == 0 && word[length] == '=')
            return word + length + 1;
        i += strlen(word);
    }
    return nullptr;
}
char* secure_getenv(const char* name) { return getenv(name); }
int setenv(const char*, const char*, int) { return 0; }
int unsetenv(const char*) { return 0; }

void abort() { fluid::panic("abort() called from %p", __builtin_return_address(0)); }
void exit(int status) { fluid::panic("exit(%d) called from %p", status, __builtin_return_address(0)); }
void _exit(int status) { fluid::panic("_exit(%d) called", status); }
void _Exit(int status) { fluid::panic("_Exit(%d) called", status); }
void quick_exit(int status) { fluid::panic("quick_exit(%d) called", status); }

void __assert_fail(const char* expression, const char* file, unsigned line, const char* function)
{
    fluid::panic("assertion failed: %s (%s:%u, %s)", expression, file, line, function);
}

pid_t getpid() { return 1; }
pid_t getppid() { return 0; }
pid_t gettid() { return fluid::runtime::thread_id(); }
uid_t getuid() { return 0; }
uid_t geteuid() { return 0; }
gid_t getgid() { return 0; }
gid_t getegid() { return 0; }

int uname(utsname* out)
{
    *out = {};
    strcpy(out->sysname, "Fluid");
    strcpy(out->nodename, "fluid");
    strcpy(out->release, "0.1.0");
    strcpy(out->version, "unikernel");
    strcpy(out->machine, "x86_64");
    return 0;
}

int gethostname(char* out, size_t size)
{
    if (size < 6)
        return errno = ENAMETOOLONG, -1;
    strcpy(out, "fluid");
    return 0;
}

// The boot stack is 256 KiB (boot/entry.S); LLVM's CrashRecoveryContext
// and stack-depth heuristics ask.
int getrlimit(int resource, rlimit* out)
{
    out->rlim_cur = out->rlim_max = resource == RLIMIT_STACK ? 256 * 1024 : RLIM_INFINITY;
    return 0;
}
int getrlimit64(int resource, rlimit64* out)
{
    out->rlim_cur = out->rlim_max = resource == RLIMIT_STACK ? 256 * 1024 : RLIM64_INFINITY;
    return 0;
}
int setrlimit(int, const rlimit*) { return 0; }
int setrlimit64(int, const rlimit64*) { return 0; }

// sys::Process::GetTimeUsage (timers): all time is user time.
int getrusage(int, rusage* out)
{
    *out = {};
    uint64_t ns = fluid::arch::now_ns();
    out->ru_utime.tv_sec = time_t(ns / 1000000000u);
    out->ru_utime.tv_usec = suseconds_t(ns % 1000000000u / 1000u);
    return 0;
}

// Raw system calls reach here from glibc-built code: libstdc++'s static
// guards and atomic waits use futex, LLVM asks gettid. Defining syscall()
// keeps llvm-libc's version (a real SYSCALL instruction) out of the image;
// tools/check-no-syscall.sh would catch it. A futex wait that
// returns at once is a legal spurious wake-up: the caller re-checks its
// condition and waits again, so waiting degrades into spinning, which is
// correct on any number of CPUs.
long syscall(long number, ...)
{
    switch (number) {
    case SYS_futex: {
        va_list args;
        va_start(args, number);
        (void)va_arg(args, int*);
        int op = va_arg(args, int) & 0x7f; // without FUTEX_PRIVATE_FLAG / CLOCK_REALTIME
        va_end(args);
        if (op == 0 || op == 9) { // FUTEX_WAIT, FUTEX_WAIT_BITSET
            __builtin_ia32_pause();
            return 0;
        }
        return 0; // FUTEX_WAKE and friends: nobody sleeps, nobody to wake
    }
    case SYS_gettid:
        return fluid::runtime::thread_id();
    case SYS_getpid:
        return 1;
    default: {
        static std::atomic<bool> reported { false };
        if (!reported.exchange(true))
            fluid::kprintf("runtime: syscall(%ld) is not supported in the kernel\n", number);
        errno = ENOSYS;
        return -1;
    }
    }
}

// Not cryptographic: RDRAND when the CPU has it, else a TSC-seeded
// xorshift. Used by libstdc++'s random_device and for hash seeds.
uint32_t arc4random()
{
    unsigned int cpuid_ecx;
    asm("cpuid" : "=c"(cpuid_ecx) : "a"(1), "c"(0) : "ebx", "edx");
    if (cpuid_ecx & (1u << 30)) {
        for (int tries = 0; tries < 10; ++tries) {
            unsigned int value;
            unsigned char ok;
            asm volatile("rdrand %0; setc %1" : "=r"(value), "=qm"(ok));
            if (ok)
                return value;
        }
    }
    static std::atomic<uint64_t> state { 0 };
    uint64_t x = state.load(std::memory_order_relaxed) ^ __builtin_ia32_rdtsc() ^ 0x9e3779b97f4a7c15ull;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    state.store(x, std::memory_order_relaxed);
    return uint32_t(x >> 16);
}

void arc4random_buf(void* buffer, size_t size)
{
    auto* out = static_cast<unsigned char*>(buffer);
    for (size_t i = 0; i < size; i += 4) {
        uint32_t value = arc4random();
        memcpy(out + i, &value, size - i < 4 ? size - i : 4);
    }
}

uint32_t arc4random_uniform(uint32_t bound) { return bound ? arc4random() % bound : 0; }

ssize_t getrandom(void* buffer, size_t size, unsigned int)
{
    arc4random_buf(buffer, size);
    return ssize_t(size);
}

// No user database: "not found" (return 0, *result = null), as glibc does
// for an unknown name.
int getpwnam_r(const char*, struct passwd*, char*, size_t, struct passwd** result)
{
    *result = nullptr;
    return 0;
}
int getpwuid_r(uid_t, struct passwd*, char*, size_t, struct passwd** result)
{
    *result = nullptr;
    return 0;
}

} // extern "C"
