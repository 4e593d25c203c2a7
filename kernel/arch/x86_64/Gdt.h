// Per-CPU GDT and TSS [SDM 3A §3.4, §7.7]. In long mode segmentation is
// mostly off; we need a code and a data descriptor and the TSS, whose
// Interrupt Stack Table gives every vector a known-good stack.
#pragma once

#include <cstddef>
#include <cstdint>

namespace fluid::x86 {

struct [[gnu::packed]] TaskStateSegment {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
};
static_assert(sizeof(TaskStateSegment) == 104);
static_assert(offsetof(TaskStateSegment, ist) == 0x24);

// IST slots [SDM 3A §6.14.5]. Every vector uses one: library code writes
// below %rsp (the red zone), so an interrupt must never push onto the
// interrupted stack. Nested use of one slot cannot happen: IRQs run with
// IF=0, and a fault inside an exception handler is a double fault (IST 1).
enum class IstSlot : uint8_t {
    DoubleFault = 1,
    Nmi = 2,
    MachineCheck = 3,
    Exception = 4,
    Interrupt = 5,
};
constexpr size_t ist_slot_count = 5;
constexpr size_t ist_stack_size = 32 * 1024;

namespace selector {
constexpr uint16_t kernel_code = 0x08;
constexpr uint16_t kernel_data = 0x10;
constexpr uint16_t tss = 0x18;
}

class Gdt {
public:
    // `ist_stacks` holds ist_slot_count stacks of ist_stack_size bytes.
    void init(void* ist_stacks);
    void load();
    TaskStateSegment& tss() { return m_tss; }

private:
    alignas(16) uint64_t m_entries[5] {};
    TaskStateSegment m_tss {};
};

} // namespace fluid::x86
