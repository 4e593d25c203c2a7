// Recovery points: how the kernel survives a module that faults or never
// returns (docs/RELIABILITY.md).
//
// Before the kernel enters module code it arms a recovery point on the
// calling CPU (run_guarded). If that code then raises an exception — or
// overruns the point's deadline — while the CPU executes module code (any
// address outside the kernel image's text), the exception handler records
// the fault in the point and resumes execution where run_guarded was
// called, which then returns false. Faults in kernel code, and faults with
// no point armed, still panic: kernel code may hold locks or be halfway
// through changing shared state, and only a panic is honest about that.
//
// Points nest per CPU (a parallel_for chunk inside a guarded call); a
// fault goes to the innermost one. x86: kernel/arch/x86_64/Recovery.cpp.
#pragma once

#include <cstdint>

namespace fluid::arch {

enum class FaultKind : uint8_t {
    None,
    DivideError,       // integer division by zero or overflow
    InvalidOpcode,     // ud2, or an instruction the CPU lacks
    PageFault,         // a bad pointer
    StackOverflow,     // a page fault next to the stack pointer (the guard page)
    GeneralProtection, // non-canonical address, privileged instruction
    OtherException,    // any other CPU exception
    TimeLimit,         // the watchdog: the point's deadline passed
    LibraryError,      // library code gave up (LLVM's report_fatal_error), see recovery_abandons_kernel_code
};

// "page fault", "divide error", "exceeded its time limit" ...
const char* fault_kind_name(FaultKind);

struct FaultRecord {
    FaultKind kind { FaultKind::None };
    uint8_t vector { 0 };
    uint32_t cpu { 0 };          // the CPU the fault happened on
    uint64_t pc { 0 };           // the faulting instruction
    uint64_t address { 0 };      // page faults: the address accessed (CR2)
    uint64_t error_code { 0 };
    bool in_kernel { false };    // pc is kernel code (a leaf helper such as memcpy)
};

// Callee-saved state at the point (x86: rbx rbp r12-r15 rsp rip rflags,
// MXCSR and the x87 control word). Opaque to generic code.
struct RecoveryContext {
    uint64_t words[10];
};

struct RecoveryPoint {
    RecoveryContext context {};
    FaultRecord fault {};
    // Absolute arch::now_ns() deadline, 0 = none. A nested point with no
    // deadline of its own inherits the enclosing one.
    uint64_t deadline_ns { 0 };
    // Also recover from a fault in kernel code, provided this CPU holds no
    // lock (kernel/lib/Spinlock.h, lock_order::holds_any). For library code
    // run on untrusted input that is not hardened against it: LLVM's
    // bitcode reader crashes on some corrupt files (jit/Engine.h,
    // check_bitcode). What that code allocated is leaked.
    bool kernel_code_may_fault { false };
    RecoveryPoint* previous { nullptr };
};

using GuardedFunction = void (*)(void* context);

// Arms `point` on this CPU, calls function(context), disarms. Returns true
// if the function returned, false if a fault or the deadline ended it
// (point.fault says which). Interrupts must be enabled for the deadline to
// be enforced.
bool run_guarded(RecoveryPoint& point, GuardedFunction function, void* context);

// The deadline of the innermost point armed on this CPU (0 if none).
uint64_t recovery_deadline();

// Resumes the innermost point armed on this CPU with `fault`, as if the
// fault had happened here (a fault a parallel_for chunk met on another
// CPU, handed back to the caller). Panics if no point is armed.
[[noreturn]] void recovery_raise(const FaultRecord& fault);

// True if the innermost point on this CPU was armed with
// kernel_code_may_fault and the CPU holds no lock now: kernel code running
// here may then be abandoned with recovery_raise (a fatal error reported by
// a library reading untrusted input).
bool recovery_abandons_kernel_code();

} // namespace fluid::arch
