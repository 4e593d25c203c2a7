// Where tiering's compiles run, and when old code is freed.
//
// With more than one CPU the last one becomes the compiler: it sleeps in
// HLT until module code on any CPU queues a hot function (the wake-up
// IPI), compiles and swaps, then frees the versions every CPU has moved
// past. On one CPU the shell compiles between commands, so promotion
// never blocks a running call (docs/TIERING.md).
#include "kernel/drivers/Console.h"
#include "kernel/jit/KernelJit.h"
#include "kernel/smp/Cpu.h"
#include "kernel/smp/SmpExecutor.h"

#include <arch/cpu.h>
#include <arch/mp.h>

#include <atomic>

namespace fluid {

static void record_quiescent(Cpu& cpu)
{
    if (KernelJit* jit = KernelJit::get())
        cpu.epoch_seen.store(jit->tiers().epoch(), std::memory_order_seq_cst);
}

void tier_work_queued()
{
    KernelJit* jit = KernelJit::get();
    if (!jit || jit->compiler_cpu() < 0)
        return;
    Cpu& compiler = cpus()[uint32_t(jit->compiler_cpu())];
    std::atomic_thread_fence(std::memory_order_seq_cst);
    if (compiler.sleeping.load(std::memory_order_seq_cst))
        arch::wake_cpu(compiler.hardware_id);
}

static void report_compile(const ErrorOr<bool>& result)
{
    if (result.is_error())
        kprintf("tier: %s\n", result.error().message());
}

size_t KernelJit::reclaim()
{
    // Sleeping CPUs run nothing; the others must have passed a quiescent
    // point since a version was retired.
    uint64_t min_seen = m_tiers->epoch();
    for (uint32_t i = 0; i < cpus().count(); ++i) {
        Cpu& cpu = cpus()[i];
        if (cpu.online.load() && !cpu.sleeping.load(std::memory_order_seq_cst))
            min_seen = std::min(min_seen, cpu.epoch_seen.load(std::memory_order_seq_cst));
    }
    return m_tiers->reclaim(min_seen);
}

static void compiler_loop(void* context)
{
    auto* jit = static_cast<KernelJit*>(context);
    Cpu& self = this_cpu();
    for (;;) {
        record_quiescent(self);
        while (jit->tiers().has_work()) {
            report_compile(jit->tiers().compile_one());
            record_quiescent(self);
        }
        jit->reclaim();
        // Announce the nap before the last look (see tier_work_queued).
        arch::disable_interrupts();
        self.sleeping.store(true, std::memory_order_seq_cst);
        if (!jit->tiers().has_work())
            arch::wait_for_interrupt();
        self.sleeping.store(false, std::memory_order_seq_cst);
        arch::enable_interrupts();
    }
}

void KernelJit::start_compiler()
{
    smp_executor().set_quiescent_hook(record_quiescent);
    uint32_t online = cpus().online_count();
    if (online < 2)
        return;
    uint32_t cpu = cpus().count() - 1;
    while (cpu > 0 && !cpus()[cpu].online.load())
        --cpu;
    if (cpu == 0 || !smp_executor().run_on_cpu(cpu, compiler_loop, this)) {
        kprintf("tier: no CPU free for the compiler; the shell compiles between commands\n");
        return;
    }
    m_compiler_cpu = int(cpu);
}

void KernelJit::compile_pending()
{
    record_quiescent(this_cpu());
    if (m_compiler_cpu < 0) {
        while (m_tiers->has_work())
            report_compile(m_tiers->compile_one());
    }
    reclaim();
}

} // namespace fluid
