// Compiled with -fno-stack-protector: it runs before %fs is valid.
#include "kernel/arch/x86_64/ThreadControlBlock.h"

#include "kernel/arch/x86_64/Cpuid.h"
#include "kernel/arch/x86_64/Msr.h"

#include <cstring>

extern "C" {
extern char __tdata_start[];
extern char __tdata_end[];
extern char __tbss_end[];
extern char __tls_align[]; // an absolute symbol: its address is the value
}

namespace fluid::x86 {

static size_t tls_memsz() { return size_t(__tbss_end - __tdata_start); }
static size_t tls_align() { return reinterpret_cast<size_t>(__tls_align) ?: 1; }

// lld's variant II offset of the block below the thread pointer:
// memsz rounded so that (tp - offset) keeps p_vaddr's alignment.
static size_t tls_offset()
{
    size_t memsz = tls_memsz();
    size_t vaddr = reinterpret_cast<size_t>(__tdata_start);
    return memsz + ((-vaddr - memsz) & (tls_align() - 1));
}

size_t tls_area_alignment() { return tls_align() > 64 ? tls_align() : 64; }

size_t tls_area_size()
{
    size_t align = tls_area_alignment();
    size_t head = (tls_offset() + align - 1) & ~(align - 1);
    return head + sizeof(ThreadControlBlock);
}

static uint64_t make_canary()
{
    uint64_t value = 0;
    if (cpuid(1).ecx & (1u << 30)) { // RDRAND; cpu_features() may use the canary
        for (int tries = 0; tries < 10; ++tries) {
            unsigned char ok;
            asm volatile("rdrand %0; setc %1" : "=r"(value), "=qm"(ok));
            if (ok)
                break;
        }
    }
    value ^= rdtsc() * 0x9e3779b97f4a7c15ull;
    // glibc keeps the low byte zero so string overflows cannot reproduce it.
    return value & ~0xffull;
}

ThreadControlBlock* create_thread_control_block(void* memory, uint32_t cpu_index)
{
    size_t align = tls_area_alignment();
    size_t head = (tls_offset() + align - 1) & ~(align - 1);
    auto* base = static_cast<char*>(memory);
    auto* tcb = reinterpret_cast<ThreadControlBlock*>(base + head);
    char* block = reinterpret_cast<char*>(tcb) - tls_offset();
    size_t filesz = size_t(__tdata_end - __tdata_start);
    memset(base, 0, head + sizeof(ThreadControlBlock));
    memcpy(block, __tdata_start, filesz);
    tcb->self = tcb;
    tcb->self_again = tcb;
    tcb->stack_guard = make_canary();
    tcb->cpu_index = cpu_index;
    return tcb;
}

void install_thread_control_block(ThreadControlBlock* tcb)
{
    write_msr(Msr::FsBase, reinterpret_cast<uint64_t>(tcb));
}

alignas(4096) static char boot_tls_area[16384];

void install_boot_thread_control_block()
{
    if (tls_area_size() > sizeof(boot_tls_area) || tls_area_alignment() > 4096) {
        // Cannot print yet in any structured way; stop where a debugger sees it.
        for (;;)
            asm volatile("cli; hlt");
    }
    install_thread_control_block(create_thread_control_block(boot_tls_area, 0));
}

} // namespace fluid::x86
