// Tiered compilation of whole modules (docs/TIERING.md):
//
//   load()        tier 0: every exported function at O0 behind a
//                 patchable entry, counting calls and loop back-edges;
//   on_hot(id)    called by that code on any CPU when a count crosses the
//                 function's next threshold: queues it once, never blocks;
//   compile_one() run by whoever compiles (a compiler core, a host thread,
//                 or the shell between commands on one CPU): builds the
//                 next tier from the module's bitcode, then swaps the
//                 entry's slot with one atomic store;
//   reclaim()     frees versions no CPU can still be running (epochs).
//
// Portable: the platform supplies the clock, a "work is queued" callback,
// and the epochs its CPUs have passed through a quiescent point.
#pragma once

#include "jit/Engine.h"
#include "jit/TierPolicy.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fluid::jit {

// One promotion (or the initial O0 compile).
struct TierEvent {
    OptLevel level { OptLevel::O0 };
    uint64_t at_calls { 0 };       // the call count when it was queued
    uint64_t queued_ns { 0 };      // threshold crossed
    uint64_t swapped_ns { 0 };     // new code visible to callers
    uint64_t compile_ns { 0 };     // optimise + codegen + link
    uint64_t object_bytes { 0 };
    bool by_back_edges { false };  // a long call, not the call count
};

struct TierFunctionProfile {
    uint32_t id;
    std::string module;
    std::string name;
    uint64_t calls;
    OptLevel tier;
    bool pinned;
    // The first event (the O0 compile at load) and the latest promotions:
    // at most TierManager::max_events, so that pinning a function again and
    // again (tier soak) does not grow the heap. events_dropped counts the
    // ones left out, between the first and the latest.
    std::vector<TierEvent> events;
    // Time per call per tier, from calls timed by the platform (shell, bench).
    uint64_t timed_calls[4];
    uint64_t timed_ns[4];
    uint64_t events_dropped;
};

class TierManager {
public:
    static constexpr size_t max_functions = 4096;
    static constexpr size_t max_events = 8;

    struct Platform {
        uint64_t (*now_ns)() = nullptr;
        void (*work_queued)() = nullptr; // e.g. wake the compiler core
    };

    TierManager(Engine&, Platform);
    ~TierManager();

    TierPolicy policy() const;
    void set_policy(const TierPolicy&);

    ErrorOr<ModuleHandle> load(std::string_view name, std::span<const uint8_t> bitcode);
    // Forgets a module's functions (call before Engine::unload) and frees
    // their code versions now, the retired ones too: unloading assumes no
    // CPU runs the module's code (its tier-0 code goes with Engine::unload
    // anyway). What a function kept (bitcode, events) is released; its
    // slot, a few hundred bytes, stays (ids are not reused).
    void forget(ModuleHandle);

    void on_hot(uint64_t id);
    bool has_work() const;
    // Compiles and swaps one queued function; false if none was queued.
    ErrorOr<bool> compile_one();
    // Compiles `function` at `level` now and keeps it there.
    ErrorOr<void> pin(std::string_view module, std::string_view function, OptLevel);
    // Compiles `function` at `level` now, as if it had climbed the policy's
    // steps up to that level (a saved profile said it got there before).
    ErrorOr<void> start_at(std::string_view module, std::string_view function, OptLevel);

    // Retired code: freed once min_observed_epoch has passed its epoch.
    uint64_t epoch() const { return m_epoch.load(std::memory_order_acquire); }
    size_t reclaim(uint64_t min_observed_epoch);
    size_t retired_count() const;

    // Records calls timed from outside (the shell's `jit run`): counted
    // only if the function stayed at `tier` the whole time.
    void record_call_time(std::string_view module, std::string_view function, OptLevel tier, uint64_t ns,
                          uint64_t calls);
    // The tier a function runs at now (O0 if unknown).
    OptLevel tier_of(std::string_view module, std::string_view function) const;

    std::vector<TierFunctionProfile> profile() const;
    // The function's id, or 0 (ids start at 1).
    uint32_t find(std::string_view module, std::string_view function) const;

private:
    struct Function;
    struct Retired {
        uint32_t version_id;
        uint64_t epoch;
        ModuleHandle module;
    };

    ErrorOr<void> promote(Function&, OptLevel, bool final_tier, std::unique_lock<std::mutex>&);
    ErrorOr<void> compile_now(std::string_view module, std::string_view function, OptLevel, bool pinned);
    Function* function(uint64_t id) const;
    static void disarm(Function&);
    void arm_next_step(Function&);
    static void add_event(Function&, const TierEvent&);

    Engine& m_engine;
    Platform m_platform;
    TierPolicy m_policy;
    mutable std::mutex m_lock;          // everything but the hot path
    std::unique_ptr<Function> m_functions[max_functions];
    std::atomic<uint32_t> m_function_count { 0 };
    std::vector<std::shared_ptr<std::vector<uint8_t>>> m_bitcode;
    std::atomic<uint64_t> m_epoch { 1 };
    std::vector<Retired> m_retired;

    // Queued ids: a small ring under its own spinning lock, so on_hot
    // never waits for a compile.
    static constexpr size_t queue_size = 1024;
    std::atomic_flag m_queue_lock = ATOMIC_FLAG_INIT;
    uint32_t m_queue[queue_size] {};
    size_t m_queue_head { 0 }, m_queue_tail { 0 };
};

} // namespace fluid::jit
