// What runtime/Memory.cpp's mmap has handed out and not yet taken back. In
// the kernel its only client is JITLink's InProcessMemoryManager, so this is
// the JIT's code and data memory: one mapping per linked object (its code,
// read-only data and data segments, page-rounded).
#pragma once

#include <cstdint>

namespace fluid::runtime {

struct MappedMemoryStats {
    uint64_t bytes { 0 };    // pages mapped now, in bytes
    uint64_t mappings { 0 }; // live mmap records (a partly unmapped one counts once per piece)
    uint64_t maps { 0 };     // mmap calls that succeeded, since boot
    uint64_t unmaps { 0 };   // munmap calls that succeeded, since boot
};

MappedMemoryStats mapped_memory();

} // namespace fluid::runtime
