#include "kernel/arch/x86_64/Idt.h"

#include "kernel/arch/x86_64/Cpuid.h"
#include "kernel/arch/x86_64/Gdt.h"

#include <cstddef>

extern "C" {
extern char isr_stubs[];
extern char isr_stubs_end[];
extern uint64_t fpu_state_size;
extern uint8_t fpu_use_xsave;
}

namespace fluid::x86 {

struct [[gnu::packed]] GateDescriptor {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attributes;
    uint16_t offset_middle;
    uint32_t offset_high;
    uint32_t reserved;
};
static_assert(sizeof(GateDescriptor) == 16);

alignas(16) static GateDescriptor idt[256];

static IstSlot ist_for_vector(unsigned vector)
{
    switch (vector) {
    case 2: return IstSlot::Nmi;
    case 8: return IstSlot::DoubleFault;
    case 18: return IstSlot::MachineCheck;
    default: return vector < 32 ? IstSlot::Exception : IstSlot::Interrupt;
    }
}

void Idt::init()
{
    static_assert(sizeof(void*) == 8);
    if (isr_stubs_end - isr_stubs != 256 * 16)
        __builtin_trap(); // a stub outgrew its 16 bytes
    for (unsigned v = 0; v < 256; ++v) {
        uint64_t target = reinterpret_cast<uint64_t>(isr_stubs + v * 16);
        idt[v] = GateDescriptor {
            .offset_low = uint16_t(target),
            .selector = selector::kernel_code,
            .ist = uint8_t(ist_for_vector(v)),
            .type_attributes = 0x8e, // present, DPL 0, 64-bit interrupt gate
            .offset_middle = uint16_t(target >> 16),
            .offset_high = uint32_t(target >> 32),
            .reserved = 0,
        };
    }
    // XSAVE area size for the components enabled in XCR0, plus the 64 bytes
    // isr.S may lose to alignment [SDM 1 §13.5, CPUID leaf 0Dh EBX].
    if (read_cr4() & (1u << 18)) {
        fpu_state_size = cpuid(0xd, 0).ebx + 64;
        fpu_use_xsave = 1;
    }
}

void Idt::load()
{
    struct [[gnu::packed]] {
        uint16_t limit;
        uint64_t base;
    } pointer { sizeof(idt) - 1, reinterpret_cast<uint64_t>(idt) };
    asm volatile("lidt %0" ::"m"(pointer));
}

} // namespace fluid::x86
