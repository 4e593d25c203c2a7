#include "kernel/smp/Cpu.h"

#include <arch/mp.h>

namespace fluid {

static_assert(CpuTable::capacity >= arch::max_cpus);

Cpu* CpuTable::add(uint32_t hardware_id, uint32_t acpi_id)
{
    if (m_count == capacity)
        return nullptr;
    Cpu& cpu = m_cpus[m_count];
    cpu.index = m_count++;
    cpu.hardware_id = hardware_id;
    cpu.acpi_id = acpi_id;
    return &cpu;
}

uint32_t CpuTable::online_count() const
{
    uint32_t online = 0;
    for (uint32_t i = 0; i < m_count; ++i)
        online += m_cpus[i].online.load(std::memory_order_relaxed);
    return online;
}

CpuTable& cpus()
{
    static CpuTable table;
    return table;
}

Cpu& this_cpu() { return cpus()[arch::current_cpu_index()]; }

} // namespace fluid
