// Power off and reboot [ACPI 6.5 §7.4.2 (\_S5), §4.8.3.6 (RESET_REG)].
#include "kernel/arch/x86_64/Cpuid.h"
#include "kernel/arch/x86_64/PortIo.h"
#include "kernel/acpi/AcpiTables.h"

#include <arch/clock.h>
#include <arch/cpu.h>
#include <arch/power.h>

namespace fluid::arch {

static constexpr uint16_t qemu_debug_exit_port = 0xf4;

// isa-debug-exit only exists under QEMU; on real hardware port 0xf4 is
// not something to poke, so we ask CPUID whether we are virtualised.
void emulator_exit(uint8_t code)
{
    if (running_under_hypervisor())
        x86::outb(qemu_debug_exit_port, code);
}

void power_off(const AcpiTables* acpi)
{
    disable_interrupts();
    if (acpi) {
        auto s5 = acpi->s5_sleep_control();
        if (!s5.is_error()) {
            // PM1x_CNT: SLP_TYPx in bits 10-12, SLP_EN bit 13 [ACPI 6.5 §4.8.3.2.1].
            constexpr uint16_t slp_en = 1 << 13;
            x86::outw(s5->pm1a_control_port, uint16_t(s5->slp_typ_a << 10) | slp_en);
            if (s5->pm1b_control_port)
                x86::outw(s5->pm1b_control_port, uint16_t(s5->slp_typ_b << 10) | slp_en);
            delay_us(100000);
        }
    }
    emulator_exit(0);
    halt_forever();
}

void reboot(const AcpiTables* acpi)
{
    disable_interrupts();
    if (acpi) {
        ResetRegister reset = acpi->reset_register();
        // Address space 1 = system I/O [ACPI 6.5 §5.2.3.2].
        if (reset.present && reset.address_space == 1) {
            x86::outb(uint16_t(reset.address), reset.value);
            delay_us(100000);
        }
    }
    // The 8042 keyboard controller's reset line.
    x86::outb(0x64, 0xfe);
    delay_us(100000);
    // Last resort: a triple fault with an empty IDT.
    struct [[gnu::packed]] {
        uint16_t limit;
        uint64_t base;
    } null_idt { 0, 0 };
    asm volatile("lidt %0; int3" ::"m"(null_idt));
    halt_forever();
}

} // namespace fluid::arch
