#include "kernel/acpi/ProcessorSelection.h"

#include <algorithm>

namespace fluid {

ProcessorSelection select_processors(std::span<const MadtProcessor> processors, uint32_t boot_apic_id,
                                     uint32_t highest_apic_id)
{
    ProcessorSelection out;
    auto already_taken = [&](uint32_t id) {
        return id == boot_apic_id
            || std::any_of(out.to_start.begin(), out.to_start.end(),
                           [&](const MadtProcessor& p) { return p.apic_id == id; });
    };
    for (const MadtProcessor& p : processors) {
        if (!p.enabled) {
            ++out.disabled;
            continue;
        }
        if (p.apic_id == boot_apic_id && !out.boot_listed) {
            out.boot_listed = true;
            out.boot_acpi_uid = p.acpi_uid;
            continue;
        }
        // 0xffffffff marks an unused x2APIC entry [ACPI 6.5 §5.2.12.12].
        if (p.apic_id == 0xffffffffu)
            out.skipped.push_back({ p.apic_id, "invalid APIC id 0xffffffff" });
        else if (p.apic_id > highest_apic_id)
            out.skipped.push_back({ p.apic_id, "APIC id not addressable in xAPIC mode" });
        else if (already_taken(p.apic_id))
            out.skipped.push_back({ p.apic_id, "listed twice in the MADT" });
        else
            out.to_start.push_back(p);
    }
    return out;
}

} // namespace fluid
