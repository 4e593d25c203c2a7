// The lock-order check behind Spinlock (Spinlock.h). The held set is per
// CPU in the kernel (thread-local storage lives in each CPU's TLS block,
// reached through %fs) and per thread on the host.
#include "kernel/lib/Spinlock.h"

namespace fluid::lock_order {

static thread_local uint64_t held_ranks;
static thread_local uint32_t unranked_locks;

static void trap(const char*, LockRank, uint64_t) { __builtin_trap(); }

static std::atomic<ViolationHandler> handler { trap };

uint64_t held() { return held_ranks; }

void note_acquire(const char* name, LockRank rank)
{
    uint64_t bit = uint64_t(1) << unsigned(rank);
    // Any held rank at or above this one: the wrong order.
    if (held_ranks & ~(bit - 1))
        handler.load(std::memory_order_relaxed)(name, rank, held_ranks);
    held_ranks |= bit;
}

void note_release(LockRank rank) { held_ranks &= ~(uint64_t(1) << unsigned(rank)); }

void note_unranked_acquire() { ++unranked_locks; }

void note_unranked_release() { --unranked_locks; }

bool holds_any() { return held_ranks != 0 || unranked_locks != 0; }

void set_violation_handler(ViolationHandler h) { handler.store(h ? h : trap); }

} // namespace fluid::lock_order
