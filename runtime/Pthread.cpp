// POSIX threads, as far as a kernel without threads needs them. Library
// code (LLVM's ManagedStatic and Mutex, libstdc++'s std::mutex,
// std::recursive_mutex, std::shared_mutex, std::call_once, the locale
// init) calls these on glibc's own object layouts, initialised statically
// by PTHREAD_*_INITIALIZER (all zero, except the recursive mutex kind), so
// the state lives inside glibc's structures. Mutexes are ticket locks
// like fluid::Spinlock (FIFO across CPUs); rwlocks, once and conditions
// are spinning atomics. A thread is a CPU (thread_id() is its index + 1),
// so a lock held by a CPU is waited for by the others and re-entered by
// the holder only if the mutex is recursive. Thread creation fails with EAGAIN: ORC is set up
// with an in-place task dispatcher, so nothing should ask for a thread.
#include "kernel/drivers/Console.h"
#include "kernel/lib/Spinlock.h"
#include "runtime/Runtime.h"

#include <arch/clock.h>
#include <arch/relax.h>

#include <atomic>
#include <cerrno>
#include <ctime>
#include <pthread.h>

using fluid::runtime::thread_id;

namespace {

// glibc's pthread_mutex_t.__data fields we use. The lock is a ticket lock,
// like fluid::Spinlock, so CPUs get it in the order they asked:
// __lock is the next ticket, __nusers the ticket being served (both 0 in
// PTHREAD_MUTEX_INITIALIZER: unlocked); __count is the recursion depth,
// __owner the holder's thread id, and __kind the type (the recursive
// initialiser sets it statically).
int mutex_type(pthread_mutex_t* m) { return m->__data.__kind & 3; }
std::atomic_ref<int> mutex_next(pthread_mutex_t* m) { return std::atomic_ref<int>(m->__data.__lock); }
std::atomic_ref<unsigned> mutex_serving(pthread_mutex_t* m) { return std::atomic_ref<unsigned>(m->__data.__nusers); }
std::atomic_ref<int> mutex_owner(pthread_mutex_t* m) { return std::atomic_ref<int>(m->__data.__owner); }

bool try_ticket(pthread_mutex_t* m)
{
    int serving = int(mutex_serving(m).load(std::memory_order_relaxed));
    int expected = serving;
    return mutex_next(m).compare_exchange_strong(expected, serving + 1, std::memory_order_acquire,
                                                 std::memory_order_relaxed);
}

void take_ticket(pthread_mutex_t* m)
{
    unsigned ticket = unsigned(mutex_next(m).fetch_add(1, std::memory_order_relaxed));
    while (mutex_serving(m).load(std::memory_order_acquire) != ticket)
        fluid::arch::relax();
}

// Some callers (pthread_cond_wait with a timeout) must not spin forever.
int acquire_mutex(pthread_mutex_t* m, bool only_try)
{
    int self = thread_id();
    int type = mutex_type(m);
    if (type != PTHREAD_MUTEX_NORMAL && mutex_owner(m).load(std::memory_order_relaxed) == self) {
        if (type == PTHREAD_MUTEX_ERRORCHECK)
            return EDEADLK;
        ++m->__data.__count; // PTHREAD_MUTEX_RECURSIVE (and ADAPTIVE, treated alike)
        return 0;
    }
    if (only_try) {
        if (!try_ticket(m))
            return EBUSY;
    } else {
        take_ticket(m);
    }
    mutex_owner(m).store(self, std::memory_order_relaxed);
    m->__data.__count = 1;
    fluid::lock_order::note_unranked_acquire();
    return 0;
}

// States of a pthread_once_t.
constexpr int once_new = 0, once_running = 1, once_done = 2;

// Thread-specific data. With one thread per CPU, "per thread" is per CPU:
// the values live in the static TLS block each CPU's %fs points at.
constexpr unsigned key_count = 128;
std::atomic<bool> key_used[key_count];
thread_local void* key_values[key_count];

// Rwlock state in __data.__readers: reader count, or `writer`.
constexpr unsigned rw_writer = 0x80000000u;
std::atomic_ref<unsigned> rw_state(pthread_rwlock_t* l) { return std::atomic_ref<unsigned>(l->__data.__readers); }

// A condition variable is a sequence number in its first word, bumped by
// every signal; waiters spin until it moves.
std::atomic_ref<unsigned> cond_sequence(pthread_cond_t* c)
{
    return std::atomic_ref<unsigned>(*reinterpret_cast<unsigned*>(c->__size));
}

uint64_t realtime_ns(const timespec* t) { return uint64_t(t->tv_sec) * 1000000000ull + uint64_t(t->tv_nsec); }

} // namespace

extern "C" {

char __libc_single_threaded = 1;

int pthread_mutexattr_init(pthread_mutexattr_t* a)
{
    a->__align = PTHREAD_MUTEX_NORMAL;
    return 0;
}
int pthread_mutexattr_destroy(pthread_mutexattr_t*) { return 0; }
int pthread_mutexattr_settype(pthread_mutexattr_t* a, int type)
{
    if (type < PTHREAD_MUTEX_NORMAL || type > PTHREAD_MUTEX_ADAPTIVE_NP)
        return EINVAL;
    a->__align = type;
    return 0;
}

int pthread_mutex_init(pthread_mutex_t* m, const pthread_mutexattr_t* a)
{
    *m = pthread_mutex_t {};
    m->__data.__kind = a ? a->__align : PTHREAD_MUTEX_NORMAL;
    return 0;
}
int pthread_mutex_destroy(pthread_mutex_t*) { return 0; }
int pthread_mutex_lock(pthread_mutex_t* m) { return acquire_mutex(m, false); }
int pthread_mutex_trylock(pthread_mutex_t* m) { return acquire_mutex(m, true); }

int pthread_mutex_unlock(pthread_mutex_t* m)
{
    if (mutex_type(m) != PTHREAD_MUTEX_NORMAL) {
        if (mutex_owner(m).load(std::memory_order_relaxed) != thread_id())
            return EPERM;
        if (--m->__data.__count > 0)
            return 0;
    }
    mutex_owner(m).store(0, std::memory_order_relaxed);
    mutex_serving(m).fetch_add(1, std::memory_order_release);
    fluid::lock_order::note_unranked_release();
    return 0;
}

int pthread_rwlock_init(pthread_rwlock_t* l, const pthread_rwlockattr_t*)
{
    *l = pthread_rwlock_t {};
    return 0;
}
int pthread_rwlock_destroy(pthread_rwlock_t*) { return 0; }

int pthread_rwlock_tryrdlock(pthread_rwlock_t* l)
{
    unsigned state = rw_state(l).load(std::memory_order_relaxed);
    while (!(state & rw_writer)) {
        if (rw_state(l).compare_exchange_weak(state, state + 1, std::memory_order_acquire)) {
            fluid::lock_order::note_unranked_acquire();
            return 0;
        }
    }
    return EBUSY;
}

int pthread_rwlock_rdlock(pthread_rwlock_t* l)
{
    while (pthread_rwlock_tryrdlock(l) != 0)
        fluid::arch::relax();
    return 0;
}

int pthread_rwlock_trywrlock(pthread_rwlock_t* l)
{
    unsigned expected = 0;
    if (!rw_state(l).compare_exchange_strong(expected, rw_writer, std::memory_order_acquire))
        return EBUSY;
    l->__data.__cur_writer = thread_id();
    fluid::lock_order::note_unranked_acquire();
    return 0;
}

int pthread_rwlock_wrlock(pthread_rwlock_t* l)
{
    if (l->__data.__cur_writer == thread_id() && (rw_state(l).load() & rw_writer))
        return EDEADLK;
    while (pthread_rwlock_trywrlock(l) != 0)
        fluid::arch::relax();
    return 0;
}

int pthread_rwlock_unlock(pthread_rwlock_t* l)
{
    if (rw_state(l).load(std::memory_order_relaxed) & rw_writer) {
        l->__data.__cur_writer = 0;
        rw_state(l).store(0, std::memory_order_release);
    } else {
        rw_state(l).fetch_sub(1, std::memory_order_release);
    }
    fluid::lock_order::note_unranked_release();
    return 0;
}

int pthread_condattr_init(pthread_condattr_t* a)
{
    a->__align = 0;
    return 0;
}
int pthread_condattr_destroy(pthread_condattr_t*) { return 0; }
int pthread_condattr_setclock(pthread_condattr_t*, clockid_t) { return 0; }
int pthread_cond_init(pthread_cond_t* c, const pthread_condattr_t*)
{
    *c = pthread_cond_t {};
    return 0;
}
int pthread_cond_destroy(pthread_cond_t*) { return 0; }

int pthread_cond_signal(pthread_cond_t* c)
{
    cond_sequence(c).fetch_add(1, std::memory_order_release);
    return 0;
}
int pthread_cond_broadcast(pthread_cond_t* c) { return pthread_cond_signal(c); }

// Waits until the sequence moves or `deadline_ns` (of `clock`) passes.
static int cond_wait_until(pthread_cond_t* c, pthread_mutex_t* m, clockid_t clock, const timespec* deadline)
{
    unsigned seen = cond_sequence(c).load(std::memory_order_acquire);
    pthread_mutex_unlock(m);
    bool warned = false;
    uint64_t start = fluid::arch::now_ns();
    int result = 0;
    while (cond_sequence(c).load(std::memory_order_acquire) == seen) {
        if (deadline) {
            timespec now;
            clock_gettime(clock, &now);
            if (realtime_ns(&now) >= realtime_ns(deadline)) {
                result = ETIMEDOUT;
                break;
            }
        } else if (!warned && fluid::arch::now_ns() - start > 10'000'000'000ull) {
            // No second thread exists yet to signal us: say so rather
            // than hang in silence.
            fluid::kprintf("runtime: pthread_cond_wait has waited 10 s on cpu %d (deadlock?)\n", thread_id() - 1);
            warned = true;
        }
        fluid::arch::relax();
    }
    pthread_mutex_lock(m);
    return result;
}

int pthread_cond_wait(pthread_cond_t* c, pthread_mutex_t* m) { return cond_wait_until(c, m, CLOCK_REALTIME, nullptr); }
int pthread_cond_timedwait(pthread_cond_t* c, pthread_mutex_t* m, const timespec* deadline)
{
    return cond_wait_until(c, m, CLOCK_REALTIME, deadline);
}
int pthread_cond_clockwait(pthread_cond_t* c, pthread_mutex_t* m, clockid_t clock, const timespec* deadline)
{
    return cond_wait_until(c, m, clock, deadline);
}

int pthread_once(pthread_once_t* once, void (*function)())
{
    std::atomic_ref<int> state(*once);
    if (state.load(std::memory_order_acquire) == once_done)
        return 0;
    int expected = once_new;
    if (state.compare_exchange_strong(expected, once_running, std::memory_order_acquire)) {
        function();
        state.store(once_done, std::memory_order_release);
        return 0;
    }
    while (state.load(std::memory_order_acquire) != once_done)
        fluid::arch::relax();
    return 0;
}

// Destructors are accepted and never run: threads never exit.
int pthread_key_create(pthread_key_t* key, void (*)(void*))
{
    for (unsigned i = 0; i < key_count; ++i) {
        bool expected = false;
        if (key_used[i].compare_exchange_strong(expected, true)) {
            *key = i;
            return 0;
        }
    }
    return EAGAIN;
}
int __pthread_key_create(pthread_key_t* key, void (*destructor)(void*)) { return pthread_key_create(key, destructor); }

int pthread_key_delete(pthread_key_t key)
{
    if (key >= key_count)
        return EINVAL;
    key_used[key].store(false);
    return 0;
}

void* pthread_getspecific(pthread_key_t key) { return key < key_count ? key_values[key] : nullptr; }

int pthread_setspecific(pthread_key_t key, const void* value)
{
    if (key >= key_count)
        return EINVAL;
    key_values[key] = const_cast<void*>(value);
    return 0;
}

pthread_t pthread_self() { return fluid::runtime::thread_pointer(); }
int pthread_equal(pthread_t a, pthread_t b) { return a == b; }

int pthread_create(pthread_t*, const pthread_attr_t*, void* (*)(void*), void*)
{
    static std::atomic<bool> reported { false };
    if (!reported.exchange(true))
        fluid::runtime::report_unsupported("pthread_create");
    return EAGAIN;
}
int pthread_detach(pthread_t) { return ESRCH; }
int pthread_join(pthread_t, void**) { return ESRCH; }

int pthread_attr_init(pthread_attr_t* a)
{
    *a = pthread_attr_t {};
    return 0;
}
int pthread_attr_destroy(pthread_attr_t*) { return 0; }
int pthread_attr_setstacksize(pthread_attr_t*, size_t) { return 0; }

int sched_yield()
{
    fluid::arch::relax();
    return 0;
}

} // extern "C"
