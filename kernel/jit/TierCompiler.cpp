// Where tiering's compiles run, and when old code is freed.
//
// With more than one CPU the last one also becomes the compiler: when it
// has no parallel_for work it compiles what module code on any CPU queued
// (woken from HLT by an IPI), swaps, then frees the versions every CPU has
// moved past. On one CPU the shell compiles between commands, so promotion
// never blocks a running call (docs/TIERING.md).
#include "kernel/drivers/Console.h"
#include "kernel/jit/KernelJit.h"
#include "kernel/mm/MemoryRequest.h"
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

// One queued compile. It is a memory request (kernel/mm/MemoryRequest.h):
// one that runs the machine into its reserve stops at the engine's next
// checkpoint, and the function stays at the tier it has.
static void compile_one(KernelJit& jit)
{
    MemoryRequest request("tier compile");
    auto result = jit.tiers().compile_one();
    if (result.is_error())
        kprintf("tier: %s\n", result.error().message());
    request.clear();
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

// The compiler CPU's service (kernel/smp/Cpu.h): between parallel jobs it
// compiles one queued function at a time, then frees what it can. The
// idle loop it lives in is a quiescent point, so its own epoch is current.
static bool compiler_has_work(void* context)
{
    return static_cast<KernelJit*>(context)->tiers().has_work();
}

static void compiler_run_one(void* context)
{
    auto* jit = static_cast<KernelJit*>(context);
    compile_one(*jit);
    record_quiescent(this_cpu());
    jit->reclaim();
}

void KernelJit::start_compiler()
{
    smp_executor().set_quiescent_hook(record_quiescent);
    if (cpus().online_count() < 2)
        return;
    uint32_t cpu = cpus().count() - 1;
    while (cpu > 0 && !cpus()[cpu].online.load())
        --cpu;
    static Cpu::Service service;
    service = { compiler_has_work, compiler_run_one, this };
    if (cpu == 0 || !smp_executor().set_service(cpu, &service)) {
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
            compile_one(*this);
    }
    reclaim();
}

} // namespace fluid
