#include "kernel/jit/ModuleGuard.h"

#include "jit/CodeMap.h"
#include "kernel/KernelSymbols.h"
#include "kernel/drivers/Console.h"
#include "kernel/jit/KernelJit.h"

#include <arch/clock.h>
#include <arch/mp.h>

#include <llvm/Demangle/Demangle.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>

namespace fluid {

static std::atomic<uint64_t> call_limit_ns { ModuleGuard::default_limit_ns };
static std::atomic<uint64_t> contained_calls { 0 };

uint64_t ModuleGuard::limit_ns() { return call_limit_ns.load(std::memory_order_relaxed); }

void ModuleGuard::set_limit_ns(uint64_t ns) { call_limit_ns.store(ns, std::memory_order_relaxed); }

uint64_t ModuleGuard::contained() { return contained_calls.load(std::memory_order_relaxed); }

// "llvm::Value::getContext" for "_ZNK4llvm5Value10getContextEv": a C++
// function's qualified name without its parameters, which would not fit
// in a message; any other symbol as it is.
static std::string readable(const char* symbol)
{
    llvm::ItaniumPartialDemangler demangler;
    if (demangler.partialDemangle(symbol) || !demangler.isFunction())
        return symbol;
    size_t size = 0;
    char* name = demangler.getFunctionName(nullptr, &size);
    std::string text = name ? name : symbol;
    free(name);
    return text;
}

// "null_deref+0x9", with the module when it is not the one called, or a
// kernel symbol for a fault inside a helper such as memset.
static std::string where(const arch::FaultRecord& fault, std::string_view module, std::string* faulting_module)
{
    uint64_t pc = fault.pc;
    char text[160];
    jit::CodeMap::Location location;
    KernelJit* jit = KernelJit::get();
    if (jit && jit->engine().code_map().describe(pc, location)) {
        std::string owner = location.dylib.substr(0, location.dylib.find('#'));
        if (faulting_module)
            *faulting_module = owner;
        if (owner == module)
            snprintf(text, sizeof(text), "%s+0x%lx", location.function.c_str(), location.offset);
        else
            snprintf(text, sizeof(text), "%s+0x%lx (module %s)", location.function.c_str(), location.offset,
                     owner.c_str());
        return text;
    }
    uint64_t offset = 0;
    const char* name = fault.in_kernel ? kernel_symbols().lookup(pc, &offset) : nullptr;
    if (name) {
        snprintf(text, sizeof(text), "%s+0x%lx (kernel)", readable(name).c_str(), offset);
        return text;
    }
    snprintf(text, sizeof(text), "0x%lx", pc);
    return text;
}

std::string ModuleGuard::describe(const arch::FaultRecord& fault, std::string_view module, std::string_view function,
                                  uint64_t limit_ns, std::string* faulting_module)
{
    std::string at = where(fault, module, faulting_module);
    std::string name(module.empty() && faulting_module ? std::string_view(*faulting_module) : module);
    char text[320];
    if (fault.kind == arch::FaultKind::TimeLimit) {
        uint64_t ms = limit_ns / 1'000'000;
        if (ms % 1000 == 0)
            snprintf(text, sizeof(text), "module %s: exceeded its %lu s limit in function %.*s (at %s)", name.c_str(),
                     ms / 1000, int(function.size()), function.data(), at.c_str());
        else
            snprintf(text, sizeof(text), "module %s: exceeded its %lu ms limit in function %.*s (at %s)",
                     name.c_str(), ms, int(function.size()), function.data(), at.c_str());
    } else if (fault.kind == arch::FaultKind::PageFault || fault.kind == arch::FaultKind::StackOverflow) {
        snprintf(text, sizeof(text), "module %s: %s at %s (address 0x%lx) in function %.*s", name.c_str(),
                 arch::fault_kind_name(fault.kind), at.c_str(), fault.address, int(function.size()), function.data());
    } else {
        snprintf(text, sizeof(text), "module %s: %s at %s in function %.*s", name.c_str(),
                 arch::fault_kind_name(fault.kind), at.c_str(), int(function.size()), function.data());
    }
    std::string message = text;
    if (fault.cpu != arch::current_cpu_index()) {
        snprintf(text, sizeof(text), ", on cpu %u", fault.cpu);
        message += text;
    }
    if (fault.kind == arch::FaultKind::OtherException) {
        snprintf(text, sizeof(text), " (vector %u)", fault.vector);
        message += text;
    }
    return message;
}

bool ModuleGuard::run_function(std::string_view module, std::string_view function, uint64_t limit_ns,
                               arch::GuardedFunction body, void* context)
{
    uint64_t limit = limit_ns ? limit_ns : ModuleGuard::limit_ns();
    arch::RecoveryPoint point;
    point.deadline_ns = arch::now_ns() + limit;
    if (arch::run_guarded(point, body, context))
        return true;
    contained_calls.fetch_add(1, std::memory_order_relaxed);
    // Name the code before it is freed.
    std::string owner;
    std::string message = describe(point.fault, module, function, limit, &owner);
    kprintf("%s\n", message.c_str());
    std::string victim = module.empty() ? owner : std::string(module);
    KernelJit* jit = KernelJit::get();
    if (jit && !victim.empty()) {
        auto unloaded = jit->unload(victim);
        if (unloaded.is_error())
            kprintf("module %s: not unloaded: %s\n", victim.c_str(), unloaded.error().message());
        else
            kprintf("module %s unloaded\n", victim.c_str());
    }
    return false;
}

static std::atomic<uint64_t> contained_library_faults { 0 };

// The reason abandon_library_call was given, for contain_library_fault.
static thread_local char library_error[100];

void ModuleGuard::abandon_library_call(const char* reason)
{
    if (!arch::recovery_abandons_kernel_code())
        return;
    snprintf(library_error, sizeof(library_error), "%s", reason);
    arch::FaultRecord fault;
    fault.kind = arch::FaultKind::LibraryError;
    fault.cpu = arch::current_cpu_index();
    fault.pc = reinterpret_cast<uint64_t>(__builtin_return_address(0));
    fault.in_kernel = true;
    arch::recovery_raise(fault);
}

bool ModuleGuard::contain_library_fault(arch::GuardedFunction function, void* context, char* what, size_t what_size)
{
    arch::RecoveryPoint point;
    point.kernel_code_may_fault = true;
    if (arch::run_guarded(point, function, context))
        return true;
    contained_library_faults.fetch_add(1, std::memory_order_relaxed);
    const arch::FaultRecord& fault = point.fault;
    uint64_t offset = 0;
    const char* symbol = fault.in_kernel ? kernel_symbols().lookup(fault.pc, &offset) : nullptr;
    char at[104];
    if (symbol)
        snprintf(at, sizeof(at), "%.80s+0x%lx", readable(symbol).c_str(), offset);
    else
        snprintf(at, sizeof(at), "0x%lx", fault.pc);
    if (fault.kind == arch::FaultKind::LibraryError)
        snprintf(what, what_size, "%s", library_error);
    else if (fault.kind == arch::FaultKind::PageFault || fault.kind == arch::FaultKind::StackOverflow)
        snprintf(what, what_size, "%s at %s, address 0x%lx", arch::fault_kind_name(fault.kind), at, fault.address);
    else
        snprintf(what, what_size, "%s at %s", arch::fault_kind_name(fault.kind), at);
    return false;
}

} // namespace fluid
