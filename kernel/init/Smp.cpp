// Interrupt controllers and the other CPUs: the MADT says what exists, the
// arch layer (<arch/mp.h>) starts it, kernel/smp/ keeps the table of CPUs
// and puts each AP in the executor's idle loop.
#include "kernel/Kernel.h"
#include "kernel/acpi/AcpiTables.h"
#include "kernel/acpi/Madt.h"
#include "kernel/acpi/ProcessorSelection.h"
#include "kernel/acpi/Structures.h"
#include "kernel/drivers/Console.h"
#include "kernel/drivers/Uart16550.h"
#include "kernel/init/Init.h"
#include "kernel/mm/PageAllocator.h"
#include "kernel/smp/Cpu.h"
#include "kernel/smp/SmpExecutor.h"

#include <arch/clock.h>
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <arch/mp.h>

#include <cstring>
#include <new>

extern "C" char __libc_single_threaded;

namespace fluid {

namespace {

constexpr uint32_t tick_hz = 100;
constexpr size_t ap_stack_pages = 64; // 256 KiB, like the boot stack: LLVM runs here
constexpr uint32_t ap_start_timeout_ms = 1000;

alignas(Madt) char madt_storage[sizeof(Madt)];
Madt* madt;

ErrorOr<Madt*> load_madt()
{
    const AcpiTables* acpi = kernel().acpi;
    if (!acpi)
        return Error::from(ErrorCode::NotFound, "no ACPI tables");
    const uint8_t* table = TRY(acpi->find_table("APIC"));
    acpi::SdtHeader header;
    memcpy(&header, table, sizeof(header));
    return new (madt_storage) Madt(TRY(Madt::parse({ table, header.length })));
}

void serial_interrupt(uint8_t, void* uart) { static_cast<Uart16550*>(uart)->on_interrupt(); }

// A free page below 1 MiB for the start-up trampoline: usable RAM per the
// firmware map, outside the boot information and modules GRUB put there.
uint64_t find_trampoline_page(const BootInfo& info)
{
    auto overlaps = [](uint64_t page, uint64_t start, uint64_t end) { return start < page + 4096 && page < end; };
    for (uint64_t page = 0x8000; page < 0x80000; page += 4096) {
        bool usable = false;
        for (size_t i = 0; i < info.region_count; ++i) {
            const MemoryRegion& r = info.regions[i];
            usable |= r.type == MemoryType::Usable && r.base <= page && page + 4096 <= r.base + r.length;
        }
        for (size_t i = 0; i < info.region_count; ++i) {
            const MemoryRegion& r = info.regions[i];
            if (r.type != MemoryType::Usable && overlaps(page, r.base, r.base + r.length))
                usable = false;
        }
        if (overlaps(page, info.info_address, info.info_address + info.info_size))
            usable = false;
        for (size_t i = 0; i < info.module_count; ++i)
            if (overlaps(page, info.modules[i].start, info.modules[i].end))
                usable = false;
        if (usable)
            return page;
    }
    return 0;
}

void ap_entry(uint32_t index)
{
    Cpu& cpu = cpus()[index];
    cpu.online.store(true, std::memory_order_release);
    smp_executor().idle_loop(cpu);
}

ErrorOr<uint64_t> allocate_guarded_stack()
{
    uint64_t base = TRY(kernel().pages->allocate(ap_stack_pages + 1));
    TRY(arch::mmu_protect(base, 4096, arch::ProtNone)); // the guard page
    return base + (ap_stack_pages + 1) * 4096;
}

} // namespace

void init_interrupts()
{
    auto loaded = load_madt();
    if (loaded.is_error()) {
        kprintf("apic: %s; staying on one CPU with polled serial input\n", loaded.error().message());
        return;
    }
    madt = loaded.value();
    if (auto result = arch::interrupt_controllers_init(*madt, tick_hz); result.is_error()) {
        kprintf("apic: %s\n", result.error().message());
        return;
    }
    arch::enable_interrupts();
    auto* uart = serial_console();
    if (uart && uart->present()) {
        if (auto routed = arch::route_isa_irq(4, serial_interrupt, uart); routed.is_error())
            kprintf("serial: %s; input stays polled\n", routed.error().message());
        else
            uart->enable_receive_interrupt();
    }
    kprintf("apic: %s, %zu I/O APIC(s), timer %lu MHz, tick %u Hz\n", arch::interrupt_controller_name(),
            madt->io_apics().size(), arch::local_timer_hz() / 1000000, tick_hz);
}

void init_smp()
{
    Cpu* boot = cpus().add(arch::current_cpu_hardware_id(), 0);
    boot->online.store(true);
    if (!madt || !arch::interrupt_controllers_ready())
        return;
    // Odd MADTs (disabled, duplicate or unreachable entries) are reported,
    // not fatal: kernel/acpi/ProcessorSelection.cpp.
    ProcessorSelection selection =
        select_processors(madt->processors(), boot->hardware_id, arch::highest_cpu_hardware_id());
    if (selection.boot_listed)
        boot->acpi_id = selection.boot_acpi_uid;
    else
        kprintf("smp: the boot CPU (APIC id %u) is not listed as enabled in the MADT\n", boot->hardware_id);
    for (const SkippedProcessor& s : selection.skipped)
        kprintf("smp: cpu with APIC id %u not started: %s\n", s.apic_id, s.reason);
    for (const MadtProcessor& p : selection.to_start)
        if (!cpus().add(p.apic_id, p.acpi_uid))
            kprintf("smp: more than %u CPUs; cpu with APIC id %u ignored\n", CpuTable::capacity, p.apic_id);
    if (cpus().count() == 1)
        return;
    uint64_t page = find_trampoline_page(kernel().boot_info);
    if (auto result = page ? arch::mp_init(page) : Error::from(ErrorCode::NoMemory, "no free page below 512 KiB");
        result.is_error()) {
        kprintf("smp: %s; staying on one CPU\n", result.error().message());
        return;
    }
    // Library code (libstdc++'s shared_ptr, locale init) skips atomics
    // while this says there is one thread.
    __libc_single_threaded = 0;
    // Every stack and guard page first: changing the page tables while
    // other CPUs run would need a TLB shootdown.
    uint64_t stacks[CpuTable::capacity] {};
    for (uint32_t i = 1; i < cpus().count(); ++i) {
        auto stack = allocate_guarded_stack();
        if (stack.is_error()) {
            kprintf("smp: cpu %u: %s\n", i, stack.error().message());
            break;
        }
        stacks[i] = stack.value();
    }
    uint64_t start = arch::now_ns();
    for (uint32_t i = 1; i < cpus().count() && stacks[i]; ++i) {
        Cpu& cpu = cpus()[i];
        uint64_t cpu_start = arch::now_ns();
        if (auto result = arch::start_cpu(i, cpu.hardware_id, stacks[i], ap_entry, ap_start_timeout_ms);
            result.is_error()) {
            kprintf("smp: %s\n", result.error().message());
            continue;
        }
        // It reported in from assembly; wait (briefly) until it is in the idle loop.
        for (int spins = 0; spins < 100000 && !cpu.online.load(std::memory_order_acquire); ++spins)
            arch::delay_us(1);
        cpu.start_us = (arch::now_ns() - cpu_start) / 1000;
    }
    kprintf("smp: %u of %u CPUs online, started in %lu ms\n", cpus().online_count(), cpus().count(),
            (arch::now_ns() - start) / 1000000);
}

} // namespace fluid
