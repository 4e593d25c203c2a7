// One processor as generic kernel code sees it: identity from the MADT,
// whether it is running, and counters for `cpus` and `smp-test`.
// Reached in O(1) by index: cpu(arch::current_cpu_index()).
#pragma once

#include <atomic>
#include <cstdint>

namespace fluid {

struct Cpu {
    uint32_t index { 0 };        // 0 = boot CPU, then in start order
    uint32_t hardware_id { 0 };  // local APIC id
    uint32_t acpi_id { 0 };      // ACPI processor UID
    uint64_t start_us { 0 };     // how long bring-up took (0 on the BSP)
    std::atomic<bool> online { false };
    std::atomic<bool> sleeping { false };    // halted in the idle loop
    std::atomic<uint64_t> chunks { 0 };      // parallel_for chunks run
    std::atomic<uint64_t> wakeups { 0 };     // returns from the idle halt
    // The JIT's code epoch when this CPU last ran no module code (idle
    // loop, shell prompt): old code versions older than every CPU's
    // epoch_seen can be freed (kernel/jit/TierCompiler.cpp).
    std::atomic<uint64_t> epoch_seen { 0 };

    // One piece of posted work (run_on_cpu): a long-lived job such as a
    // compiler loop. Null when the mailbox is empty.
    std::atomic<void (*)(void*)> mailbox { nullptr };
    void* mailbox_context { nullptr };

    // A background service this CPU runs when it has nothing else to do
    // (the JIT's compiler): has_work() is polled by the idle loop, run_one()
    // does one unit of work. Parallel jobs come first.
    struct Service {
        bool (*has_work)(void*);
        void (*run_one)(void*);
        void* context;
    };
    std::atomic<const Service*> service { nullptr };
};

// The table of processors the MADT lists (enabled ones only).
class CpuTable {
public:
    static constexpr uint32_t capacity = 256;

    Cpu* add(uint32_t hardware_id, uint32_t acpi_id);
    Cpu& operator[](uint32_t index) { return m_cpus[index]; }
    uint32_t count() const { return m_count; }
    uint32_t online_count() const;

private:
    Cpu m_cpus[capacity];
    uint32_t m_count { 0 };
};

CpuTable& cpus();

// The calling CPU's entry.
Cpu& this_cpu();

} // namespace fluid
