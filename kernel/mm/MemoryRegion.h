// Physical memory as the firmware describes it. The numeric values of
// MemoryType match the Multiboot2 memory map (Multiboot2 §3.6 "Memory map"),
// which itself mirrors the ACPI address range types (ACPI 6.5 §15.1,
// Table 15.1), so the boot parser can store them unchanged.
#pragma once

#include <cstdint>

namespace fluid {

enum class MemoryType : uint32_t {
    Usable = 1,
    Reserved = 2,
    AcpiReclaimable = 3,
    AcpiNvs = 4,
    Bad = 5,
};

struct MemoryRegion {
    uint64_t base;
    uint64_t length;
    MemoryType type;
};

// A span of physical addresses with no type: used for "keep out" lists.
struct PhysRange {
    uint64_t base;
    uint64_t length;
};

// Inline so that the boot parser, the allocator and the shell can all name
// a type without a link dependency between their libraries.
inline const char* memory_type_name(MemoryType type)
{
    switch (type) {
    case MemoryType::Usable: return "usable";
    case MemoryType::Reserved: return "reserved";
    case MemoryType::AcpiReclaimable: return "ACPI reclaimable";
    case MemoryType::AcpiNvs: return "ACPI NVS";
    case MemoryType::Bad: return "bad";
    }
    return "unknown";
}

} // namespace fluid
