// <arch/mp.h> on x86: local APIC, I/O APICs, and starting APs with
// INIT-SIPI-SIPI [SDM 3A §9.4.4 "MP Initialization Example"].
#include "kernel/arch/x86_64/CpuState.h"
#include "kernel/arch/x86_64/Cpuid.h"
#include "kernel/arch/x86_64/IoApic.h"
#include "kernel/arch/x86_64/LegacyPic.h"
#include "kernel/arch/x86_64/LocalApic.h"
#include "kernel/arch/x86_64/Msr.h"
#include "kernel/arch/x86_64/PortIo.h"
#include "kernel/arch/x86_64/TlbShootdown.h"
#include "kernel/acpi/Madt.h"

#include <arch/clock.h>
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <arch/mp.h>

#include <atomic>
#include <cstring>
#include <new>

extern "C" {
extern char ap_trampoline_start[], ap_trampoline_end[];
extern char trampoline_gdt[], trampoline_32[], trampoline_64[];
extern char trampoline_gdt_pointer[], trampoline_far32[], trampoline_far64[];
extern char trampoline_boot_cr3[], trampoline_efer_bits[], trampoline_entry[];
extern char trampoline_cr3[], trampoline_stack[], trampoline_cpu_index[];
extern char boot_pml4[];
void ap_long_mode_entry();
}

namespace fluid::x86 {

std::atomic<uint32_t> ap_arrived { 0 };

static CpuState* cpu_states[arch::max_cpus];

CpuState* cpu_state(uint32_t index) { return index < arch::max_cpus ? cpu_states[index] : nullptr; }

void set_cpu_state(uint32_t index, CpuState* state) { cpu_states[index] = state; }

namespace {

constexpr size_t max_io_apics = 8;
alignas(MemoryMmio) char io_apic_mmio_storage[max_io_apics][sizeof(MemoryMmio)];
alignas(IoApic) char io_apic_storage[max_io_apics][sizeof(IoApic)];
IoApic* io_apics[max_io_apics];
size_t io_apic_count;
const Madt* boot_madt;
bool apic_ready;
std::atomic<uint64_t> boot_cpu_ticks;

void on_timer(uint8_t, void*)
{
    if (arch::current_cpu_index() == 0)
        boot_cpu_ticks.fetch_add(1, std::memory_order_relaxed);
}

void on_wakeup(uint8_t, void*) { }

void on_apic_error(uint8_t, void*) { }

ErrorOr<void> init_io_apics(const Madt& madt)
{
    for (const MadtIoApic& entry : madt.io_apics()) {
        if (io_apic_count == max_io_apics)
            return Error::format(ErrorCode::Invalid, "apic: more than %zu I/O APICs", max_io_apics);
        TRY(arch::mmu_map_identity(entry.address, 4096, true));
        auto* mmio = new (io_apic_mmio_storage[io_apic_count]) MemoryMmio(entry.address);
        auto* io_apic = new (io_apic_storage[io_apic_count]) IoApic(*mmio, entry.gsi_base);
        io_apic->init();
        io_apics[io_apic_count++] = io_apic;
    }
    return {};
}

} // namespace

uint64_t trampoline_page;

} // namespace fluid::x86

namespace fluid::arch {

using namespace fluid::x86;

uint32_t current_cpu_index()
{
    uint32_t index;
    asm volatile("movl %%fs:0x100, %0" : "=r"(index));
    return index;
}

uint32_t current_cpu_hardware_id() { return apic_ready ? LocalApic::id() : boot_cpu_apic_id(); }

ErrorOr<void> interrupt_controllers_init(const Madt& madt, uint32_t tick_hz)
{
    disable_legacy_pics(port_io());
    uint64_t base = madt.local_apic_address() ? madt.local_apic_address() : 0xfee00000;
    if (!cpu_features().x2apic)
        TRY(mmu_map_identity(base, 4096, true));
    LocalApic::select_mode(base);
    LocalApic::init_this_cpu();
    apic_ready = true;
    boot_madt = &madt;
    TRY(init_io_apics(madt));
    register_interrupt_handler(vectors::timer, on_timer, nullptr);
    register_interrupt_handler(vectors::wakeup, on_wakeup, nullptr);
    register_interrupt_handler(vectors::error, on_apic_error, nullptr);
    tlb_shootdown_init();
    LocalApic::calibrate_timer();
    LocalApic::start_periodic_timer(tick_hz, vectors::timer);
    return {};
}

const char* interrupt_controller_name() { return !apic_ready ? "none" : LocalApic::x2apic() ? "x2APIC" : "xAPIC"; }

uint32_t highest_cpu_hardware_id() { return LocalApic::x2apic() ? 0xfffffffeu : 0xfeu; }

uint64_t local_timer_hz() { return LocalApic::timer_hz(); }

uint64_t timer_ticks() { return boot_cpu_ticks.load(std::memory_order_relaxed); }

bool interrupt_controllers_ready() { return apic_ready; }

ErrorOr<void> route_isa_irq(uint8_t irq, InterruptHandler handler, void* context)
{
    if (!apic_ready || irq >= 16)
        return Error::format(ErrorCode::Unsupported, "apic: cannot route ISA IRQ %u", irq);
    uint32_t gsi = boot_madt->gsi_for_isa_irq(irq);
    uint16_t flags = 0;
    for (const MadtInterruptOverride& o : boot_madt->overrides())
        if (o.bus == 0 && o.source == irq)
            flags = o.flags;
    for (size_t i = 0; i < io_apic_count; ++i) {
        if (!io_apics[i]->handles(gsi))
            continue;
        uint8_t vector = uint8_t(vectors::serial + irq);
        register_interrupt_handler(vector, handler, context);
        io_apics[i]->route(gsi, vector, LocalApic::id(), flags);
        return {};
    }
    return Error::format(ErrorCode::NotFound, "apic: no I/O APIC handles GSI %u (ISA IRQ %u)", gsi, irq);
}

ErrorOr<void> mp_init(uint64_t page)
{
    size_t size = size_t(ap_trampoline_end - ap_trampoline_start);
    if (page % 4096 || page + 4096 > (1u << 20) || size > 4096)
        return Error::format(ErrorCode::Invalid, "smp: bad trampoline page %#lx", page);
    trampoline_page = page;
    memcpy(reinterpret_cast<void*>(page), ap_trampoline_start, size);
    auto offset = [](char* symbol) { return uint32_t(trampoline_page + uint64_t(symbol - ap_trampoline_start)); };
    // The pointer fields: a 6-byte GDT pointer and two m16:32 far pointers.
    uint32_t gdt_base = offset(trampoline_gdt);
    memcpy(reinterpret_cast<char*>(uint64_t(offset(trampoline_gdt_pointer))) + 2, &gdt_base, 4);
    trampoline_field<uint32_t>(trampoline_far32) = offset(trampoline_32);
    trampoline_field<uint32_t>(trampoline_far64) = offset(trampoline_64);
    trampoline_field<uint32_t>(trampoline_boot_cr3) = uint32_t(reinterpret_cast<uint64_t>(boot_pml4));
    uint32_t efer_bits = 1u << 8; // LME
    if (read_msr(Msr::Efer) & efer_nxe)
        efer_bits |= uint32_t(efer_nxe);
    trampoline_field<uint32_t>(trampoline_efer_bits) = efer_bits;
    trampoline_field<uint64_t>(trampoline_entry) = reinterpret_cast<uint64_t>(&ap_long_mode_entry);
    trampoline_field<uint64_t>(trampoline_cr3) = read_cr3();
    return {};
}

} // namespace fluid::arch
