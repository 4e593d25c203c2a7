#include "host/fluid-host/ThreadPoolExecutor.h"

#include <immintrin.h>

namespace fluid::host {

// A nested parallel_for from inside a body runs serially (the interface's
// rule), which also keeps a worker from waiting on itself.
static thread_local bool t_inside_job = false;

// About 50-100 microseconds of spinning before a worker sleeps: longer than
// the gap between the matmuls of one token, far shorter than between runs.
static constexpr int spin_iterations = 20000;

ThreadPoolExecutor::ThreadPoolExecutor(size_t threads)
{
    for (size_t i = 1; i < threads; ++i) {
        m_workers.push_back(std::make_unique<Worker>());
        Worker& worker = *m_workers.back();
        worker.thread = std::thread([this, &worker] { worker_loop(worker); });
    }
}

ThreadPoolExecutor::~ThreadPoolExecutor()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop.store(true);
    }
    m_wake.notify_all();
    for (auto& worker : m_workers)
        worker->thread.join();
}

void ThreadPoolExecutor::take_chunks()
{
    for (;;) {
        size_t chunk = m_next_chunk.fetch_add(1, std::memory_order_relaxed);
        if (chunk >= m_chunks)
            return;
        size_t b = m_begin + chunk * m_chunk;
        size_t e = b + m_chunk < m_end ? b + m_chunk : m_end;
        m_body(m_context, b, e);
    }
}

void ThreadPoolExecutor::worker_loop(Worker& self)
{
    t_inside_job = true;
    uint64_t seen = 0;
    for (;;) {
        int spins = 0;
        while (m_generation.load(std::memory_order_acquire) == seen && !m_stop.load(std::memory_order_relaxed)) {
            if (++spins < spin_iterations) {
                _mm_pause();
                continue;
            }
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return m_generation.load() != seen || m_stop.load(); });
        }
        if (m_stop.load())
            return;
        seen = m_generation.load(std::memory_order_acquire);
        take_chunks();
        self.finished.store(seen, std::memory_order_release);
    }
}

void ThreadPoolExecutor::run(size_t begin, size_t end, size_t grain, ParallelBody body, void* context)
{
    if (begin >= end)
        return;
    const size_t count = end - begin;
    if (t_inside_job || m_workers.empty() || count <= grain) {
        body(context, begin, end);
        return;
    }
    // Several chunks per thread balance uneven cores; never below `grain`.
    const size_t threads = concurrency();
    size_t chunk = (count + threads * 4 - 1) / (threads * 4);
    if (chunk < grain)
        chunk = grain;
    m_body = body;
    m_context = context;
    m_begin = begin;
    m_end = end;
    m_chunk = chunk;
    m_chunks = (count + chunk - 1) / chunk;
    m_next_chunk.store(0, std::memory_order_relaxed);
    uint64_t generation;
    {
        std::lock_guard lock(m_mutex);
        generation = m_generation.fetch_add(1, std::memory_order_acq_rel) + 1;
    }
    m_wake.notify_all();
    t_inside_job = true;
    take_chunks();
    t_inside_job = false;
    for (auto& worker : m_workers) {
        while (worker->finished.load(std::memory_order_acquire) != generation)
            _mm_pause();
    }
}

} // namespace fluid::host
