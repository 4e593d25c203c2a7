// The fan-out interface portable code (llm/, module kernels) uses to spread
// a loop over every core. The kernel implements it with its SMP dispatcher
// (kernel/smp/), fluid-host with a thread pool, tests with either or with
// the serial executor below. Code receives an executor by reference; it
// never reaches for a global.
#pragma once

#include <cstddef>

namespace fluid {

// Runs body(context, begin, end) on a sub-range [begin, end).
using ParallelBody = void (*)(void* context, size_t begin, size_t end);

class ParallelExecutor {
public:
    virtual ~ParallelExecutor() = default;

    // Number of cores (threads) that may run chunks at once, >= 1.
    virtual size_t concurrency() const = 0;

    // Splits [begin, end) into chunks of at least `grain` items (the last
    // may be shorter) and runs them on all available cores, the caller
    // included. Returns when every chunk has finished. Chunks may run in
    // any order and on any core; a nested call from inside a body runs
    // serially on the calling core.
    virtual void run(size_t begin, size_t end, size_t grain, ParallelBody body, void* context) = 0;
};

// Runs everything on the calling core: the reference for tests and the
// executor of a single-core machine.
class SerialExecutor final : public ParallelExecutor {
public:
    size_t concurrency() const override { return 1; }
    void run(size_t begin, size_t end, size_t, ParallelBody body, void* context) override
    {
        if (begin < end)
            body(context, begin, end);
    }
};

// parallel_for(executor, begin, end, grain, [&](size_t b, size_t e) { ... })
template<typename Function>
void parallel_for(ParallelExecutor& executor, size_t begin, size_t end, size_t grain,
                  Function&& function)
{
    executor.run(
        begin, end, grain ? grain : 1,
        [](void* context, size_t b, size_t e) { (*static_cast<Function*>(context))(b, e); },
        &function);
}

} // namespace fluid
