// Where each piece of JIT'd code lives: every function a module instance or
// a tiered version links (start, size, name, JITDylib), filled by a JITLink
// plugin (jit/CodeMapPlugin.h) and emptied when the code is freed. The
// kernel uses it to name the instruction a module faulted at
// ("null_deref+0x1c", docs/RELIABILITY.md). Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace fluid::jit {

class CodeMap {
public:
    struct Location {
        std::string dylib;    // "fib#3": the module's name, '#', its instance id
        std::string function; // the symbol containing the address
        uint64_t offset { 0 };
    };

    // The function of JIT'd code containing `address`; false if none does.
    bool describe(uint64_t address, Location& out) const;
    // Functions currently mapped.
    size_t size() const;

    // For the plugin. `key` is the ORC resource key that owns the code.
    void add(uintptr_t key, uint64_t start, uint64_t size, std::string function, std::string dylib);
    void remove(uintptr_t key);
    void transfer(uintptr_t destination, uintptr_t source);

private:
    struct Range {
        uintptr_t key;
        uint64_t start, size;
        std::string function;
        std::string dylib;
    };

    mutable std::mutex m_lock;
    std::vector<Range> m_ranges;
};

} // namespace fluid::jit
