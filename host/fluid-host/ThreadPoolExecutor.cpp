#include "host/fluid-host/ThreadPoolExecutor.h"

#include <immintrin.h>

namespace fluid::host {

// A nested parallel_for from inside a body runs serially (the interface's
// rule), which also keeps a thread from waiting on itself.
static thread_local bool t_inside_job = false;

// Some tens of microseconds of spinning before a worker sleeps: longer than
// the gap between the matmuls of one token, far shorter than between runs.
static constexpr int spin_iterations = 20000;

static uint64_t generation_of(uint64_t ticket)
{
    return ticket >> 32;
}

ThreadPoolExecutor::ThreadPoolExecutor(size_t threads)
{
    for (size_t i = 1; i < threads; ++i)
        m_workers.emplace_back([this] { worker_loop(); });
}

ThreadPoolExecutor::~ThreadPoolExecutor()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop.store(true);
    }
    m_wake.notify_all();
    for (auto& worker : m_workers)
        worker.join();
}

void ThreadPoolExecutor::work_on(uint64_t generation)
{
    const ParallelBody body = m_body.load(std::memory_order_relaxed);
    void* const context = m_context.load(std::memory_order_relaxed);
    const size_t begin = m_begin.load(std::memory_order_relaxed);
    const size_t end = m_end.load(std::memory_order_relaxed);
    const size_t chunk = m_chunk.load(std::memory_order_relaxed);
    const size_t chunks = m_chunks.load(std::memory_order_relaxed);
    uint64_t ticket = m_ticket.load(std::memory_order_acquire);
    for (;;) {
        // A claim succeeds only on the current generation with the job
        // open, i.e. while the fields read above are that job's.
        if (generation_of(ticket) != generation || (ticket & closed) >= chunks)
            return;
        if (!m_ticket.compare_exchange_weak(ticket, ticket + 1, std::memory_order_acquire))
            continue;
        const size_t b = begin + (ticket & closed) * chunk;
        body(context, b, b + chunk < end ? b + chunk : end);
        m_done.fetch_add(1, std::memory_order_release);
        ticket = m_ticket.load(std::memory_order_acquire);
    }
}

void ThreadPoolExecutor::worker_loop()
{
    t_inside_job = true;
    uint64_t seen = 0;
    for (;;) {
        int spins = 0;
        uint64_t ticket;
        while (generation_of(ticket = m_ticket.load(std::memory_order_acquire)) == seen) {
            if (m_stop.load(std::memory_order_relaxed))
                return;
            if (++spins < spin_iterations) {
                _mm_pause();
                continue;
            }
            std::unique_lock lock(m_mutex);
            m_sleepers.fetch_add(1);
            m_wake.wait(lock, [&] { return generation_of(m_ticket.load()) != seen || m_stop.load(); });
            m_sleepers.fetch_sub(1);
            spins = 0;
        }
        seen = generation_of(ticket);
        work_on(seen);
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
    // Several chunks per thread balance uneven progress; never below grain.
    const size_t threads = concurrency();
    size_t chunk = (count + threads * 4 - 1) / (threads * 4);
    if (chunk < grain)
        chunk = grain;
    const size_t chunks = (count + chunk - 1) / chunk;

    // The previous job is closed (its index is `closed`), so the fields can
    // be rewritten; publishing the new generation opens the job.
    const uint64_t generation = generation_of(m_ticket.load(std::memory_order_relaxed)) + 1;
    m_body.store(body, std::memory_order_relaxed);
    m_context.store(context, std::memory_order_relaxed);
    m_begin.store(begin, std::memory_order_relaxed);
    m_end.store(end, std::memory_order_relaxed);
    m_chunk.store(chunk, std::memory_order_relaxed);
    m_chunks.store(chunks, std::memory_order_relaxed);
    m_done.store(0, std::memory_order_relaxed);
    m_ticket.store(generation << 32, std::memory_order_seq_cst);
    // Dekker with the sleeper's increment (both seq_cst): either we see it
    // and wake it, or it sees the new ticket and does not sleep.
    if (m_sleepers.load(std::memory_order_seq_cst) > 0) {
        { std::lock_guard lock(m_mutex); }
        m_wake.notify_all();
    }

    t_inside_job = true;
    work_on(generation);
    t_inside_job = false;
    while (m_done.load(std::memory_order_acquire) != chunks)
        _mm_pause();
    m_ticket.store(generation << 32 | closed, std::memory_order_release);
}

} // namespace fluid::host
