// fluid-host's ParallelExecutor: a pool of std::threads that, with the
// calling thread, take chunks of each parallel_for from a shared counter.
// Workers spin briefly between jobs (a forward pass issues hundreds of
// small ones per token) and then sleep on a condition variable.
#pragma once

#include "kernel/lib/ParallelExecutor.h"

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
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
    struct Worker {
        std::thread thread;
        std::atomic<uint64_t> finished { 0 }; // last job generation it completed
    };
    void worker_loop(Worker& self);
    void take_chunks();

    std::vector<std::unique_ptr<Worker>> m_workers;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::atomic<uint64_t> m_generation { 0 };
    std::atomic<bool> m_stop { false };

    // The current job: written by run() before the generation is bumped,
    // and unchanged until every worker has reported it finished.
    ParallelBody m_body { nullptr };
    void* m_context { nullptr };
    size_t m_begin { 0 };
    size_t m_end { 0 };
    size_t m_chunk { 1 };
    size_t m_chunks { 0 };
    std::atomic<size_t> m_next_chunk { 0 };
};

} // namespace fluid::host
