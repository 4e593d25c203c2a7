// How ACPI code reaches physical memory: the kernel maps through its
// identity map, tests through a fake address space. map() must return
// nullptr rather than a pointer to bytes that cannot be read, which is how
// a table length pointing outside memory turns into an Error.
#pragma once

#include <cstddef>
#include <cstdint>

namespace fluid {

class PhysicalMemoryView {
public:
    virtual ~PhysicalMemoryView() = default;
    // `length` readable bytes at `physical`, or nullptr if not accessible.
    virtual const uint8_t* map(uint64_t physical, size_t length) const = 0;
};

} // namespace fluid
