// A ticket spinlock: FIFO-fair, so no core starves under contention.
// Portable: the only platform hook is arch::relax() (PAUSE on x86).
// Interrupt masking is the caller's business.
//
// Lock order is checked on every acquisition. A lock may carry a rank
// (LockRank): while a CPU (or host thread) holds a ranked lock, it may
// only take locks of a higher rank. Taking an equal or lower rank is the
// pattern that deadlocks two CPUs, or one CPU against an interrupt
// handler, so it is reported at once through the violation handler
// (a panic in the kernel) rather than when the deadlock finally happens.
// Unranked locks (the default) are not checked.
#pragma once

#include <arch/relax.h>

#include <atomic>
#include <cstdint>

namespace fluid {

// Outer locks first. Keep docs/ARCHITECTURE.md ("Locks") in step.
enum class LockRank : uint8_t {
    None = 0,
    ParallelSubmit,  // kernel/smp/SmpExecutor: held for a whole parallel job
    Mappings,        // runtime/Memory.cpp: mmap records (calls malloc)
    PageTables,      // arch Mmu: page-table edits (allocate pages)
    Heap,            // kernel/mm/Heap (takes pages from the page allocator)
    PageAllocator,   // kernel/mm/PageAllocator
    Console,         // kernel/drivers/Console: anything may print
    Test,            // for tests of the checker
};

namespace lock_order {

// Ranks held by the calling CPU or thread, one bit per rank.
uint64_t held();
void note_acquire(const char* name, LockRank);
void note_release(LockRank);
// Locks without a rank (unranked Spinlocks, and pthread mutexes and
// rwlocks, runtime/Pthread.cpp) are only counted, so that code that
// abandons a computation can tell whether this CPU still holds any lock.
void note_unranked_acquire();
void note_unranked_release();
// Any lock held by the calling CPU or thread, ranked or not.
bool holds_any();

using ViolationHandler = void (*)(const char* name, LockRank taking, uint64_t held);
// The default handler traps.
void set_violation_handler(ViolationHandler);

} // namespace lock_order

class Spinlock {
public:
    constexpr Spinlock() = default;
    constexpr Spinlock(const char* name, LockRank rank) : m_name(name), m_rank(rank) { }

    void lock()
    {
        note_acquire();
        uint32_t ticket = m_next.fetch_add(1, std::memory_order_relaxed);
        while (m_serving.load(std::memory_order_acquire) != ticket)
            arch::relax();
    }

    bool try_lock()
    {
        uint32_t serving = m_serving.load(std::memory_order_relaxed);
        uint32_t expected = serving;
        // A failed try cannot deadlock, so only a success is recorded.
        if (!m_next.compare_exchange_strong(expected, serving + 1, std::memory_order_acquire,
                                            std::memory_order_relaxed))
            return false;
        note_acquire();
        return true;
    }

    void unlock()
    {
        m_serving.fetch_add(1, std::memory_order_release);
        if (m_rank != LockRank::None)
            lock_order::note_release(m_rank);
        else
            lock_order::note_unranked_release();
    }

    bool is_locked() const
    {
        return m_next.load(std::memory_order_relaxed) != m_serving.load(std::memory_order_relaxed);
    }

private:
    void note_acquire()
    {
        if (m_rank != LockRank::None)
            lock_order::note_acquire(m_name, m_rank);
        else
            lock_order::note_unranked_acquire();
    }

    std::atomic<uint32_t> m_next { 0 };
    std::atomic<uint32_t> m_serving { 0 };
    const char* m_name { nullptr };
    LockRank m_rank { LockRank::None };
};

// RAII guard, usable with any type that has lock()/unlock().
template<typename Lock>
class LockGuard {
public:
    explicit LockGuard(Lock& lock) : m_lock(lock) { m_lock.lock(); }
    ~LockGuard() { m_lock.unlock(); }
    LockGuard(const LockGuard&) = delete;
    LockGuard& operator=(const LockGuard&) = delete;

private:
    Lock& m_lock;
};

} // namespace fluid
