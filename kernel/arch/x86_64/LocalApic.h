// The local APIC of the calling CPU [SDM 3A ch. 11], in x2APIC mode (MSRs)
// when the CPU has it and xAPIC mode (MMIO) otherwise. Every CPU runs the
// same mode, chosen once on the boot CPU.
#pragma once

#include <cstdint>

namespace fluid::x86 {

namespace vectors {
// Vectors 32..47 are where the masked legacy PICs would deliver spurious
// IRQs; we leave them unused.
constexpr uint8_t timer = 0x30;
constexpr uint8_t wakeup = 0x31;   // IPI: work is waiting (kernel/smp)
constexpr uint8_t tlb_shootdown = 0x32; // IPI: reload CR3 (TlbShootdown.cpp)
constexpr uint8_t watchdog = 0x33; // IPI: a module call overran its deadline (Recovery.cpp)
constexpr uint8_t serial = 0x40;   // COM1 through the I/O APIC
constexpr uint8_t error = 0xfe;
constexpr uint8_t spurious = 0xff; // low nibble all ones [SDM 3A §11.9]
}

class LocalApic {
public:
    // Chooses the mode; call once on the boot CPU before init_this_cpu().
    static void select_mode(uint64_t mmio_base);
    static bool x2apic() { return s_x2apic; }

    // Enables the calling CPU's local APIC: software enable, spurious
    // vector, task priority 0, LINT pins masked, error vector set.
    static void init_this_cpu();

    static uint32_t id();
    static void end_of_interrupt();

    // Inter-processor interrupts [SDM 3A §11.6.1].
    static void send_fixed(uint32_t apic_id, uint8_t vector);
    static void send_fixed_to_others(uint8_t vector);
    static void send_nmi_to_others();
    static void send_init(uint32_t apic_id);
    static void send_startup(uint32_t apic_id, uint8_t page);

    // Periodic timer at `hz`, on `vector`. calibrate() first (boot CPU).
    static void calibrate_timer();
    static void start_periodic_timer(uint32_t hz, uint8_t vector);
    static uint64_t timer_hz() { return s_timer_hz; }

private:
    static uint32_t read(uint32_t offset);
    static void write(uint32_t offset, uint32_t value);
    static void write_icr(uint32_t apic_id, uint32_t low);

    static inline bool s_x2apic = false;
    static inline uint64_t s_mmio_base = 0;
    static inline uint64_t s_timer_hz = 0;
};

} // namespace fluid::x86
