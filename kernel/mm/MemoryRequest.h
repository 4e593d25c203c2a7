// A request — a shell command, a module load, a background compile — that
// may run the machine short of memory, and is then failed instead of the
// kernel.
//
// The kernel keeps a reserve of free memory (reserve_bytes()). While a
// request is active on a CPU, an allocation there that would leave less
// than the reserve free still succeeds, out of the reserve, but marks the
// request overdrawn. Whoever owns the request checks overdrawn() at points
// where it can give up cleanly (between the stages of a compile, before
// keeping a loaded module) and then fails with message(), letting every
// destructor run and so giving the memory back. This is how an allocation
// failure deep inside LLVM becomes "module foo: out of memory" instead of
// a panic: LLVM never sees a failed allocation. What outruns the reserve
// as well still ends in the allocator's own failure (a panic in operator
// new), so the reserve is sized for the largest request the kernel
// expects to have to abandon (docs/RELIABILITY.md, "Memory pressure").
//
// Requests nest per CPU (a module load inside a shell command); an
// overdraft nobody claimed passes to the enclosing request when the inner
// one ends. Portable: the innermost request is thread-local, which in the
// kernel means per CPU.
#pragma once

#include <cstddef>

namespace fluid {

class MemoryRequest {
public:
    // `what` names the request in messages ("load /modules/fib.bc"); it
    // must outlive the request.
    explicit MemoryRequest(const char* what);
    ~MemoryRequest();
    MemoryRequest(const MemoryRequest&) = delete;
    MemoryRequest& operator=(const MemoryRequest&) = delete;

    // The innermost request active on this CPU, or null.
    static MemoryRequest* current();

    bool overdrawn() const { return m_overdraft_bytes != 0; }
    const char* what() const { return m_what; }
    // "out of memory: an allocation of 65536 bytes found 1048576 bytes
    // free, less than the 33554432-byte reserve"; empty when not overdrawn.
    // Allocates nothing.
    const char* message() const { return m_message; }
    // Forgets the overdraft once the owner has failed the request for it,
    // so the enclosing request does not report it again.
    void clear();

    // Called by whoever hands out memory, before it does: `bytes` is the
    // size of the allocation and `free_bytes` what is free before it.
    // Marks the innermost request on this CPU overdrawn if the allocation
    // eats into the reserve. Outside any request it does nothing: the
    // kernel's own allocations may use the reserve.
    static void note_allocation(size_t bytes, size_t free_bytes);

    static size_t reserve_bytes();
    static void set_reserve_bytes(size_t);
    // What a request may still take before it is overdrawn.
    static size_t available_bytes(size_t free_bytes);

private:
    void overdraw(size_t bytes, size_t free_bytes);

    const char* m_what;
    MemoryRequest* m_outer;
    size_t m_overdraft_bytes { 0 };
    char m_message[160] {};
};

} // namespace fluid
