// parallel_for over every online CPU, and the loop idle CPUs sleep in.
//
// One job runs at a time. The caller publishes it (range, grain, body),
// bumps a generation counter and wakes sleeping CPUs with an IPI; then it
// takes chunks itself like everyone else. Chunks are claimed with one
// atomic add, so fast cores take more. A CPU joins by raising m_active
// before it looks at m_open; the caller closes the job and waits for
// m_active to drain, so no CPU can still touch the job after run()
// returns. A call made while a job is running (from inside a body, or
// from a second CPU) runs serially on its caller instead of waiting.
// Chunks run under recovery points: a chunk whose module code faults on
// any CPU aborts the job, and run() then raises the fault to the caller's
// recovery point (arch/recovery.h, docs/RELIABILITY.md).
#pragma once

#include "kernel/lib/ParallelExecutor.h"
#include "kernel/lib/Spinlock.h"
#include "kernel/smp/Cpu.h"

#include <arch/recovery.h>

#include <atomic>
#include <cstdint>

namespace fluid {

class SmpExecutor final : public ParallelExecutor {
public:
    size_t concurrency() const override;
    void run(size_t begin, size_t end, size_t grain, ParallelBody body, void* context) override;

    // Hands `work` to an idle CPU (not the caller) to run once; false if
    // that CPU is offline or its mailbox is taken.
    bool run_on_cpu(uint32_t cpu_index, void (*work)(void*), void* context);

    // Where an AP lives after start-up: sleep until woken, then help with
    // the current job or run posted work.
    [[noreturn]] void idle_loop(Cpu& cpu);

    // Makes `cpu_index` run `service` whenever it is idle; false if that
    // CPU is offline or is the caller. `service` must outlive the kernel.
    bool set_service(uint32_t cpu_index, const Cpu::Service* service);

    // Called on every pass through the idle loop, where a CPU runs no
    // module code (the JIT's epochs use it).
    void set_quiescent_hook(void (*hook)(Cpu&)) { m_quiescent_hook.store(hook); }

private:
    void take_chunks(Cpu& cpu);
    void join(Cpu& cpu);
    void wake_sleepers(uint32_t self);

    Spinlock m_submit { "parallel_for", LockRank::ParallelSubmit };
    std::atomic<uint64_t> m_generation { 0 };
    std::atomic<bool> m_open { false };
    std::atomic<uint32_t> m_active { 0 };
    std::atomic<size_t> m_next { 0 };
    size_t m_end { 0 };
    size_t m_grain { 1 };
    ParallelBody m_body { nullptr };
    void* m_context { nullptr };
    // Fault containment (take_chunks): the caller's deadline, and the first
    // fault any chunk met.
    uint64_t m_deadline { 0 };
    std::atomic<bool> m_aborted { false };
    std::atomic_flag m_fault_taken = ATOMIC_FLAG_INIT;
    arch::FaultRecord m_fault {};
    std::atomic<void (*)(Cpu&)> m_quiescent_hook { nullptr };
};

SmpExecutor& smp_executor();

} // namespace fluid
