// A ticket spinlock: FIFO-fair, so no core starves under contention.
// Portable: the only platform hook is arch::relax() (PAUSE on x86).
// Interrupt masking is the caller's business (see IrqSpinlock in arch code
// once interrupts are enabled in the SMP work).
#pragma once

#include <arch/relax.h>

#include <atomic>
#include <cstdint>

namespace fluid {

class Spinlock {
public:
    void lock()
    {
        uint32_t ticket = m_next.fetch_add(1, std::memory_order_relaxed);
        while (m_serving.load(std::memory_order_acquire) != ticket)
            arch::relax();
    }

    bool try_lock()
    {
        uint32_t serving = m_serving.load(std::memory_order_relaxed);
        uint32_t expected = serving;
        return m_next.compare_exchange_strong(expected, serving + 1, std::memory_order_acquire,
                                              std::memory_order_relaxed);
    }

    void unlock() { m_serving.fetch_add(1, std::memory_order_release); }

    bool is_locked() const
    {
        return m_next.load(std::memory_order_relaxed) != m_serving.load(std::memory_order_relaxed);
    }

private:
    std::atomic<uint32_t> m_next { 0 };
    std::atomic<uint32_t> m_serving { 0 };
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
