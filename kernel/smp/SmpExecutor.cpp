#include "kernel/smp/SmpExecutor.h"

#include "kernel/smp/Cpu.h"

#include <arch/cpu.h>
#include <arch/mp.h>
#include <arch/recovery.h>
#include <arch/relax.h>

namespace fluid {

static void mailbox_placeholder(void*) { }
static constexpr void (*mailbox_claimed)(void*) = mailbox_placeholder;

SmpExecutor& smp_executor()
{
    static SmpExecutor executor;
    return executor;
}

size_t SmpExecutor::concurrency() const
{
    uint32_t online = cpus().online_count();
    return online ? online : 1;
}

namespace {
struct ChunkCall {
    ParallelBody body;
    void* context;
    size_t begin, end;
};

void run_chunk(void* pointer)
{
    auto* call = static_cast<ChunkCall*>(pointer);
    call->body(call->context, call->begin, call->end);
}
} // namespace

// Each chunk runs under its own recovery point (docs/RELIABILITY.md): a
// module callback that faults, or overruns the caller's deadline, on any
// CPU ends only that chunk; the job is marked aborted, the other CPUs stop
// claiming chunks, and run() hands the fault to its caller once every CPU
// has left the job.
void SmpExecutor::take_chunks(Cpu& cpu)
{
    for (;;) {
        if (m_aborted.load(std::memory_order_relaxed))
            return;
        size_t begin = m_next.fetch_add(m_grain, std::memory_order_relaxed);
        if (begin >= m_end)
            return;
        size_t end = m_end - begin > m_grain ? begin + m_grain : m_end;
        ChunkCall call { m_body, m_context, begin, end };
        arch::RecoveryPoint point;
        point.deadline_ns = m_deadline;
        if (!arch::run_guarded(point, run_chunk, &call)) {
            if (!m_fault_taken.test_and_set(std::memory_order_acq_rel))
                m_fault = point.fault;
            m_aborted.store(true, std::memory_order_release);
            return;
        }
        cpu.chunks.fetch_add(1, std::memory_order_relaxed);
    }
}

void SmpExecutor::join(Cpu& cpu)
{
    // seq_cst on both sides: either we see the job closed, or the caller
    // sees us active and waits (the store-load pattern of Dekker's lock).
    m_active.fetch_add(1, std::memory_order_seq_cst);
    if (m_open.load(std::memory_order_seq_cst))
        take_chunks(cpu);
    m_active.fetch_sub(1, std::memory_order_release);
}

void SmpExecutor::wake_sleepers(uint32_t self)
{
    CpuTable& table = cpus();
    for (uint32_t i = 0; i < table.count(); ++i) {
        Cpu& cpu = table[i];
        if (i != self && cpu.online.load(std::memory_order_relaxed) && cpu.sleeping.load(std::memory_order_seq_cst))
            arch::wake_cpu(cpu.hardware_id);
    }
}

void SmpExecutor::run(size_t begin, size_t end, size_t grain, ParallelBody body, void* context)
{
    if (begin >= end)
        return;
    grain = grain ? grain : 1;
    if (end - begin <= grain || concurrency() == 1 || !m_submit.try_lock()) {
        body(context, begin, end);
        return;
    }
    m_end = end;
    m_grain = grain;
    m_body = body;
    m_context = context;
    m_deadline = arch::recovery_deadline();
    m_aborted.store(false, std::memory_order_relaxed);
    m_fault_taken.clear(std::memory_order_relaxed);
    m_next.store(begin, std::memory_order_relaxed);
    m_open.store(true, std::memory_order_seq_cst);
    m_generation.fetch_add(1, std::memory_order_seq_cst);
    Cpu& self = this_cpu();
    wake_sleepers(self.index);
    take_chunks(self);
    m_open.store(false, std::memory_order_seq_cst);
    while (m_active.load(std::memory_order_acquire) != 0)
        arch::relax();
    bool aborted = m_aborted.load(std::memory_order_acquire);
    arch::FaultRecord fault = m_fault;
    m_submit.unlock();
    // No CPU touches the job any more and the lock is free: the executor is
    // usable again. Now the caller's own recovery point takes the fault.
    if (aborted)
        arch::recovery_raise(fault);
}

bool SmpExecutor::run_on_cpu(uint32_t cpu_index, void (*work)(void*), void* context)
{
    if (cpu_index >= cpus().count() || cpu_index == arch::current_cpu_index())
        return false;
    Cpu& cpu = cpus()[cpu_index];
    if (!cpu.online.load(std::memory_order_acquire))
        return false;
    // Claim the mailbox with a placeholder, fill in the context, then
    // publish the function: the CPU never sees one without the other.
    void (*expected)(void*) = nullptr;
    if (!cpu.mailbox.compare_exchange_strong(expected, mailbox_claimed, std::memory_order_seq_cst))
        return false;
    cpu.mailbox_context = context;
    cpu.mailbox.store(work, std::memory_order_seq_cst);
    if (cpu.sleeping.load(std::memory_order_seq_cst))
        arch::wake_cpu(cpu.hardware_id);
    return true;
}

bool SmpExecutor::set_service(uint32_t cpu_index, const Cpu::Service* service)
{
    if (cpu_index >= cpus().count() || cpu_index == arch::current_cpu_index())
        return false;
    Cpu& cpu = cpus()[cpu_index];
    if (!cpu.online.load(std::memory_order_acquire))
        return false;
    cpu.service.store(service, std::memory_order_seq_cst);
    if (cpu.sleeping.load(std::memory_order_seq_cst))
        arch::wake_cpu(cpu.hardware_id);
    return true;
}

static bool service_pending(Cpu& cpu)
{
    const Cpu::Service* service = cpu.service.load(std::memory_order_acquire);
    return service && service->has_work(service->context);
}

void SmpExecutor::idle_loop(Cpu& cpu)
{
    // On from the start, so the watchdog IPI reaches a chunk this CPU runs
    // before its first nap.
    arch::enable_interrupts();
    uint64_t seen = m_generation.load(std::memory_order_acquire);
    for (;;) {
        if (auto hook = m_quiescent_hook.load(std::memory_order_relaxed))
            hook(cpu);
        auto work = cpu.mailbox.load(std::memory_order_acquire);
        if (work && work != mailbox_claimed) {
            work(cpu.mailbox_context);
            cpu.mailbox.store(nullptr, std::memory_order_release);
            continue;
        }
        uint64_t generation = m_generation.load(std::memory_order_seq_cst);
        if (generation != seen) {
            seen = generation;
            join(cpu);
            continue;
        }
        if (service_pending(cpu)) {
            const Cpu::Service* service = cpu.service.load(std::memory_order_acquire);
            service->run_one(service->context);
            continue;
        }
        // Announce the nap, then look once more: a job published between
        // the check above and here is either seen now or its publisher
        // sees `sleeping` and sends the wake-up IPI. HLT is entered with
        // interrupts still off until STI's one-instruction shadow ends,
        // so the IPI cannot slip in before the halt.
        arch::disable_interrupts();
        cpu.sleeping.store(true, std::memory_order_seq_cst);
        if (m_generation.load(std::memory_order_seq_cst) == seen && !cpu.mailbox.load(std::memory_order_seq_cst)
            && !service_pending(cpu))
            arch::wait_for_interrupt();
        cpu.sleeping.store(false, std::memory_order_relaxed);
        arch::enable_interrupts();
        cpu.wakeups.fetch_add(1, std::memory_order_relaxed);
    }
}

} // namespace fluid
