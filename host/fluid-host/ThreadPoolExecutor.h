// fluid-host's ParallelExecutor: a pool of std::threads that, with the
// calling thread, claim chunks of each parallel_for from a shared ticket.
// The caller waits only for chunks to be done, never for a particular
// worker to show up, so a worker that the OS has descheduled (2 vCPUs
// shared with other processes) costs nothing unless it holds a chunk.
// Workers spin briefly between jobs (a forward pass issues hundreds of
// small ones per token), then sleep on a condition variable.
#pragma once

#include "kernel/lib/ParallelExecutor.h"

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace fluid::host {

class ThreadPoolExecutor final : public ParallelExecutor {
public:
    // `threads` >= 1 counts the caller: threads - 1 workers are started.
    explicit ThreadPoolExecutor(size_t threads);
    ~ThreadPoolExecutor() override;

    size_t concurrency() const override { return m_workers.size() + 1; }
    void run(size_t begin, size_t end, size_t grain, ParallelBody body, void* context) override;

private:
    void worker_loop();
    // Claims and runs chunks of the job published under `generation` until
    // none are left or the job is no longer current.
    void work_on(uint64_t generation);

    std::vector<std::thread> m_workers;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::atomic<int> m_sleepers { 0 };
    std::atomic<bool> m_stop { false };

    // generation << 32 | index of the next unclaimed chunk. Between jobs
    // the index is `closed`, so no stale claim can succeed while the job
    // fields below are rewritten; they are atomics only so that a stale
    // reader's (discarded) read is not a data race.
    static constexpr uint64_t closed = 0xFFFFFFFFu;
    std::atomic<uint64_t> m_ticket { closed };
    std::atomic<size_t> m_done { 0 };
    std::atomic<ParallelBody> m_body { nullptr };
    std::atomic<void*> m_context { nullptr };
    std::atomic<size_t> m_begin { 0 };
    std::atomic<size_t> m_end { 0 };
    std::atomic<size_t> m_chunk { 1 };
    std::atomic<size_t> m_chunks { 0 };
};

} // namespace fluid::host
