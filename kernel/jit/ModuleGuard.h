// Calls into module code that cannot take the machine down
// (docs/RELIABILITY.md).
//
//   bool ok = ModuleGuard::run("fib", "fib", 0, [&] { value = fib(30); });
//
// runs the body under a recovery point (arch/recovery.h) with a deadline.
// If module code faults (division by zero, bad pointer, ud2, stack
// overflow) or overruns the time limit, on this CPU or in a parallel_for
// chunk on any other, the call is abandoned, the shell prints
//   module faults: page fault at null_deref+0x9 (address 0x0) in function null_deref
// the module is unloaded, and run returns false. Everything the body did
// in kernel code has finished (faults are only contained in module code),
// so the caller carries on; memory the module allocated is leaked.
#pragma once

#include <arch/recovery.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace fluid {

class ModuleGuard {
public:
    static constexpr uint64_t default_limit_ns = 10'000'000'000ull;

    // The limit of a call that names none (`jit limit S` changes it).
    static uint64_t limit_ns();
    static void set_limit_ns(uint64_t);
    // Calls cut short since boot.
    static uint64_t contained();

    // `module` may be empty when the caller does not know which module the
    // body enters (the bench runner): the faulting code names it.
    // `limit_ns` 0 means limit_ns().
    template<typename Body>
    static bool run(std::string_view module, std::string_view function, uint64_t limit_ns, Body&& body)
    {
        return run_function(module, function, limit_ns, [](void* b) { (*static_cast<Body*>(b))(); }, &body);
    }

    static bool run_function(std::string_view module, std::string_view function, uint64_t limit_ns,
                             arch::GuardedFunction, void* context);

    // For jit::EngineConfig::contain: runs library code on untrusted input
    // (LLVM's bitcode reader) so that a fault in it, in kernel code, is
    // recovered when the CPU holds no lock, and described in `what`
    // ("page fault at SYMBOL+0x1c (address 0x0)"). What the code allocated
    // is leaked; a fault with a lock held still panics.
    static bool contain_library_fault(arch::GuardedFunction, void* context, char* what, size_t what_size);
    // For a library's fatal-error hook (LLVM's report_fatal_error): inside
    // contain_library_fault, with no lock held, abandons the library call
    // with `reason`, and does not return. Elsewhere it returns, and the
    // caller panics as before.
    static void abandon_library_call(const char* reason);

    // "module M: KIND at WHERE (address A) in function F"; also says which
    // module the faulting code belongs to in *faulting_module.
    static std::string describe(const arch::FaultRecord&, std::string_view module, std::string_view function,
                                uint64_t limit_ns, std::string* faulting_module);
};

} // namespace fluid
