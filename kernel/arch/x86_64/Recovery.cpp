// <arch/recovery.h> on x86: per-CPU recovery points, the exception and
// watchdog paths that resume them (docs/RELIABILITY.md).
//
// Resuming never unwinds from inside the handler: the handler rewrites the
// interrupt frame so that IRETQ "returns" into recovery_resume
// (RecoveryContext.S) with interrupts off. The CPU thereby leaves the
// exception the architectural way (the IST stack is free again, NMI
// blocking ends at the IRET [SDM 3A §6.7.1]) before the callee-saved state
// of the point is restored.
#include "kernel/arch/x86_64/Recovery.h"

#include "kernel/arch/x86_64/CpuState.h"
#include "kernel/arch/x86_64/LocalApic.h"
#include "kernel/KernelSymbols.h"
#include "kernel/Panic.h"
#include "kernel/lib/Spinlock.h"

#include <arch/clock.h>
#include <arch/cpu.h>
#include <arch/mp.h>
#include <arch/recovery.h>

#include <atomic>
#include <cstring>

extern "C" {
[[gnu::returns_twice]] int recovery_save(fluid::arch::RecoveryContext*);
[[noreturn]] void recovery_resume(fluid::arch::RecoveryContext*);
extern char __kernel_start[], __text_end[];
// Leaf helpers modules call directly (jit/ExportTable.cpp): they take no
// lock, so a fault inside one is the module's bad pointer and can be
// contained like a fault in module code.
void* memcpy(void*, const void*, size_t);
void* memmove(void*, const void*, size_t);
void* memset(void*, int, size_t);
int memcmp(const void*, const void*, size_t);
int bcmp(const void*, const void*, size_t);
}

namespace fluid::x86 {

namespace {

constexpr uint64_t rflags_reserved_one = 1u << 1;

CpuState* this_state() { return cpu_state(arch::current_cpu_index()); }

bool in_kernel_text(uint64_t pc)
{
    return pc >= reinterpret_cast<uint64_t>(__kernel_start) && pc < reinterpret_cast<uint64_t>(__text_end);
}

bool in_leaf_helper(uint64_t pc)
{
    uint64_t offset = 0;
    if (!kernel_symbols().lookup(pc, &offset))
        return false;
    uint64_t start = pc - offset;
    const void* helpers[] = { reinterpret_cast<const void*>(&memcpy), reinterpret_cast<const void*>(&memmove),
                              reinterpret_cast<const void*>(&memset), reinterpret_cast<const void*>(&memcmp),
                              reinterpret_cast<const void*>(&bcmp) };
    for (const void* helper : helpers)
        if (start == reinterpret_cast<uint64_t>(helper))
            return true;
    return false;
}

// Code the kernel may abandon: module code (anything executable outside the
// kernel image is JIT'd code, or garbage a module jumped to) and the
// lock-free helpers above.
bool abandonable(uint64_t pc, bool allow_helpers)
{
    if (!in_kernel_text(pc))
        return true;
    return allow_helpers && in_leaf_helper(pc);
}

void link(CpuState& state, arch::RecoveryPoint* point)
{
    state.recovery.store(point, std::memory_order_relaxed);
    state.watchdog_deadline.store(point->deadline_ns, std::memory_order_relaxed);
    std::atomic_signal_fence(std::memory_order_seq_cst);
}

void unlink(CpuState& state, arch::RecoveryPoint* point)
{
    arch::RecoveryPoint* previous = point->previous;
    state.recovery.store(previous, std::memory_order_relaxed);
    state.watchdog_deadline.store(previous ? previous->deadline_ns : 0, std::memory_order_relaxed);
    std::atomic_signal_fence(std::memory_order_seq_cst);
}

arch::FaultKind kind_of(const InterruptFrame& f, uint64_t cr2)
{
    switch (f.vector) {
    case 0: return arch::FaultKind::DivideError;
    case 6: return arch::FaultKind::InvalidOpcode;
    case 13: return arch::FaultKind::GeneralProtection;
    case 14: {
        // A not-present fault within 64 KiB of the stack pointer is the
        // guard page under the stack: every stack is mapped down to it.
        bool not_present = (f.error_code & 1) == 0;
        bool near_stack = cr2 + 65536 > f.rsp && cr2 < f.rsp + 65536;
        return not_present && near_stack ? arch::FaultKind::StackOverflow : arch::FaultKind::PageFault;
    }
    default: return arch::FaultKind::OtherException;
    }
}

// Makes IRETQ land in recovery_resume for the innermost point, which is
// unlinked here. Interrupts stay off until recovery_resume restores RFLAGS.
void redirect(InterruptFrame& f, CpuState& state, arch::RecoveryPoint* point, const arch::FaultRecord& fault)
{
    point->fault = fault;
    unlink(state, point);
    f.rdi = reinterpret_cast<uint64_t>(&point->context);
    f.rip = reinterpret_cast<uint64_t>(&recovery_resume);
    // Any mapped, unused stack will do for the one instruction before
    // recovery_resume loads the saved %rsp: below the point's frame.
    f.rsp = (point->context.words[6] - 512) & ~uint64_t(15);
    f.rflags = rflags_reserved_one;
}

arch::FaultRecord record(const InterruptFrame& f, arch::FaultKind kind, uint64_t address)
{
    arch::FaultRecord fault;
    fault.kind = kind;
    fault.vector = uint8_t(f.vector);
    fault.cpu = arch::current_cpu_index();
    fault.pc = f.rip;
    fault.address = address;
    fault.error_code = f.error_code;
    fault.in_kernel = in_kernel_text(f.rip);
    return fault;
}

} // namespace

bool recover_from_exception(InterruptFrame& f, uint64_t cr2)
{
    // NMI, double fault and machine check say the machine, not the module,
    // is in trouble (and #DF is not restartable [SDM 3A §6.15]).
    if (f.vector == 2 || f.vector == 8 || f.vector == 18)
        return false;
    CpuState* state = this_state();
    arch::RecoveryPoint* point = state ? state->recovery.load(std::memory_order_relaxed) : nullptr;
    if (!point)
        return false;
    bool lock_free_kernel_code = point->kernel_code_may_fault && !lock_order::holds_any();
    if (!abandonable(f.rip, true) && !lock_free_kernel_code)
        return false;
    redirect(f, *state, point, record(f, kind_of(f, cr2), f.vector == 14 ? cr2 : 0));
    return true;
}

void recovery_on_tick(InterruptFrame& f, bool scan_other_cpus)
{
    uint64_t now = arch::now_ns();
    CpuState* self = this_state();
    if (self) {
        uint64_t deadline = self->watchdog_deadline.load(std::memory_order_relaxed);
        arch::RecoveryPoint* point = self->recovery.load(std::memory_order_relaxed);
        // Only module code is cut short; if the call is inside the kernel
        // (a module API function, a parallel_for wait) the next tick tries
        // again, so no kernel lock is ever abandoned.
        if (point && deadline && now >= deadline && abandonable(f.rip, false))
            redirect(f, *self, point, record(f, arch::FaultKind::TimeLimit, 0));
    }
    if (!scan_other_cpus)
        return;
    for (uint32_t i = 0; i < arch::max_cpus; ++i) {
        CpuState* other = cpu_state(i);
        if (!other || other == self)
            continue;
        uint64_t deadline = other->watchdog_deadline.load(std::memory_order_relaxed);
        if (deadline && now >= deadline)
            LocalApic::send_fixed(other->hardware_id, vectors::watchdog);
    }
}

} // namespace fluid::x86

namespace fluid::arch {

using namespace fluid::x86;

const char* fault_kind_name(FaultKind kind)
{
    switch (kind) {
    case FaultKind::None: return "no fault";
    case FaultKind::LibraryError: return "fatal error";
    case FaultKind::DivideError: return "divide error";
    case FaultKind::InvalidOpcode: return "invalid instruction";
    case FaultKind::PageFault: return "page fault";
    case FaultKind::StackOverflow: return "stack overflow";
    case FaultKind::GeneralProtection: return "general protection fault";
    case FaultKind::OtherException: return "CPU exception";
    case FaultKind::TimeLimit: return "time limit";
    }
    return "?";
}

bool run_guarded(RecoveryPoint& point, GuardedFunction function, void* context)
{
    CpuState* state = this_state();
    point.fault = {};
    point.previous = state->recovery.load(std::memory_order_relaxed);
    if (!point.deadline_ns && point.previous)
        point.deadline_ns = point.previous->deadline_ns;
    if (recovery_save(&point.context) != 0)
        return false; // resumed: the handler unlinked the point
    link(*state, &point);
    function(context);
    unlink(*state, &point);
    return true;
}

uint64_t recovery_deadline()
{
    CpuState* state = this_state();
    return state ? state->watchdog_deadline.load(std::memory_order_relaxed) : 0;
}

bool recovery_abandons_kernel_code()
{
    CpuState* state = this_state();
    RecoveryPoint* point = state ? state->recovery.load(std::memory_order_relaxed) : nullptr;
    return point && point->kernel_code_may_fault && !lock_order::holds_any();
}

void recovery_raise(const FaultRecord& fault)
{
    disable_interrupts();
    CpuState* state = this_state();
    RecoveryPoint* point = state ? state->recovery.load(std::memory_order_relaxed) : nullptr;
    if (!point)
        panic("module fault (%s at %#lx on cpu %u) with no recovery point armed", fault_kind_name(fault.kind),
              fault.pc, fault.cpu);
    point->fault = fault;
    unlink(*state, point);
    recovery_resume(&point->context);
}

} // namespace fluid::arch
