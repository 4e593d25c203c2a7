// A device addressed in 512-byte sectors: a disk, a partition of one, or a
// byte buffer in the host tests. The file system code reaches storage only
// through this interface, so it stays portable.
#pragma once

#include "kernel/lib/ErrorOr.h"

#include <cstddef>
#include <cstdint>

namespace fluid {

class BlockDevice {
public:
    static constexpr size_t sector_size = 512;

    virtual ~BlockDevice() = default;

    virtual uint64_t sector_count() const = 0;
    // Transfer `count` whole sectors starting at `lba`. Implementations
    // reject a range that does not lie inside the device.
    virtual ErrorOr<void> read(uint64_t lba, size_t count, void* buffer) = 0;
    virtual ErrorOr<void> write(uint64_t lba, size_t count, const void* buffer) = 0;
    virtual ErrorOr<void> flush() = 0;

protected:
    // True when [lba, lba + count) lies inside a device of `sectors`, without
    // overflowing on hostile values.
    static bool range_fits(uint64_t lba, size_t count, uint64_t sectors)
    {
        return lba <= sectors && count <= sectors - lba;
    }
};

} // namespace fluid
