// What a kernel cannot do for library code: processes, program loading,
// signals, character-set conversion. LLVM reaches these only on paths we
// do not use (running tools, crash handlers, Program.cpp); each call logs
// its name once on the console and fails with ENOSYS, so a path we thought
// unused shows up in the log instead of misbehaving silently.
#include "runtime/Runtime.h"

#include <csignal>
#include <cstring>
#include <iconv.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#define FAIL_WITH(name, value) \
    do {                       \
        FLUID_UNSUPPORTED(name); \
        return value;          \
    } while (0)

extern "C" {

pid_t fork() { FAIL_WITH("fork", -1); }
pid_t vfork() { FAIL_WITH("vfork", -1); }
int execv(const char*, char* const[]) { FAIL_WITH("execv", -1); }
int execve(const char*, char* const[], char* const[]) { FAIL_WITH("execve", -1); }
int execvp(const char*, char* const[]) { FAIL_WITH("execvp", -1); }
int system(const char*) { FAIL_WITH("system", -1); }
pid_t setsid() { FAIL_WITH("setsid", -1); }
int pipe(int[2]) { FAIL_WITH("pipe", -1); }
pid_t wait(int*) { FAIL_WITH("wait", -1); }
pid_t waitpid(pid_t, int*, int) { FAIL_WITH("waitpid", -1); }
pid_t wait4(pid_t, int*, int, struct rusage*) { FAIL_WITH("wait4", -1); }

// posix_spawn reports errors as its return value, not through errno.
int posix_spawn(pid_t*, const char*, const posix_spawn_file_actions_t*, const posix_spawnattr_t*,
                char* const[], char* const[])
{
    FAIL_WITH("posix_spawn", ENOSYS);
}
int posix_spawnp(pid_t*, const char*, const posix_spawn_file_actions_t*, const posix_spawnattr_t*,
                 char* const[], char* const[])
{
    FAIL_WITH("posix_spawnp", ENOSYS);
}
int posix_spawn_file_actions_init(posix_spawn_file_actions_t* actions)
{
    memset(actions, 0, sizeof *actions);
    return 0;
}
int posix_spawn_file_actions_destroy(posix_spawn_file_actions_t*) { return 0; }
int posix_spawn_file_actions_addopen(posix_spawn_file_actions_t*, int, const char*, int, mode_t) { return 0; }
int posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t*, int, int) { return 0; }

// Signals: nothing delivers them. Signal *sets* are plain data and work,
// because LLVM builds them before calling sigprocmask.
int sigemptyset(sigset_t* set)
{
    memset(set, 0, sizeof *set);
    return 0;
}
int sigfillset(sigset_t* set)
{
    memset(set, 0xff, sizeof *set);
    return 0;
}
int sigaddset(sigset_t* set, int signal)
{
    if (signal <= 0 || signal > int(sizeof(sigset_t) * 8))
        return errno = EINVAL, -1;
    reinterpret_cast<unsigned long*>(set)[(signal - 1) / 64] |= 1ul << ((signal - 1) % 64);
    return 0;
}
int sigdelset(sigset_t* set, int signal)
{
    if (signal <= 0 || signal > int(sizeof(sigset_t) * 8))
        return errno = EINVAL, -1;
    reinterpret_cast<unsigned long*>(set)[(signal - 1) / 64] &= ~(1ul << ((signal - 1) % 64));
    return 0;
}
int sigaction(int, const struct sigaction*, struct sigaction*) { FAIL_WITH("sigaction", -1); }
int sigaltstack(const stack_t*, stack_t*) { FAIL_WITH("sigaltstack", -1); }
int sigprocmask(int, const sigset_t*, sigset_t* old)
{
    if (old)
        sigemptyset(old);
    FAIL_WITH("sigprocmask", -1);
}
// Returns an error number, not -1.
int pthread_sigmask(int, const sigset_t*, sigset_t* old)
{
    if (old)
        sigemptyset(old);
    FAIL_WITH("pthread_sigmask", ENOSYS);
}
sighandler_t signal(int, sighandler_t) { FAIL_WITH("signal", SIG_ERR); }
int kill(pid_t, int) { FAIL_WITH("kill", -1); }
int raise(int signal)
{
    fluid::runtime::report_unsupported("raise");
    errno = ENOSYS;
    return -1;
}
unsigned alarm(unsigned) { FAIL_WITH("alarm", 0); }
// glibc's real-time signal range, for code that sizes tables by it.
int __libc_current_sigrtmin() { return 34; }
int __libc_current_sigrtmax() { return 64; }

// Character-set conversion (libstdc++'s codecvt for named locales).
iconv_t iconv_open(const char*, const char*) { FAIL_WITH("iconv_open", iconv_t(-1)); }
size_t iconv(iconv_t, char**, size_t*, char**, size_t*) { FAIL_WITH("iconv", size_t(-1)); }
int iconv_close(iconv_t) { return 0; }

} // extern "C"
