#include "kernel/arch/x86_64/Gdt.h"

namespace fluid::x86 {

struct [[gnu::packed]] DescriptorPointer {
    uint16_t limit;
    uint64_t base;
};

void Gdt::init(void* ist_stacks)
{
    m_entries[0] = 0;
    m_entries[1] = 0x00af9a000000ffff; // 64-bit code, DPL 0, present
    m_entries[2] = 0x00cf92000000ffff; // data, writable, present
    // 16-byte TSS descriptor, type 9 (available 64-bit TSS) [SDM 3A §7.2.3].
    uint64_t base = reinterpret_cast<uint64_t>(&m_tss);
    uint64_t limit = sizeof(m_tss) - 1;
    m_entries[3] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40)
        | (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
    m_entries[4] = base >> 32;

    m_tss.iomap_base = sizeof(m_tss); // no I/O bitmap
    auto* stacks = static_cast<char*>(ist_stacks);
    for (size_t i = 0; i < ist_slot_count; ++i)
        m_tss.ist[i] = reinterpret_cast<uint64_t>(stacks + (i + 1) * ist_stack_size);
}

void Gdt::load()
{
    DescriptorPointer pointer { sizeof(m_entries) - 1, reinterpret_cast<uint64_t>(m_entries) };
    asm volatile("lgdt %0" ::"m"(pointer));
    // Reload CS with a far return, then the data segments.
    asm volatile("pushq %[cs]\n"
                 "leaq 1f(%%rip), %%rax\n"
                 "pushq %%rax\n"
                 "lretq\n"
                 "1:\n"
                 "movw %[ds], %%ax\n"
                 "movw %%ax, %%ds\n"
                 "movw %%ax, %%es\n"
                 "movw %%ax, %%ss\n" ::[cs] "i"(selector::kernel_code),
                 [ds] "i"(selector::kernel_data)
                 : "rax", "memory");
    asm volatile("ltr %0" ::"r"(selector::tss));
}

} // namespace fluid::x86
