// A window of another BlockDevice: sectors [0, count) here are sectors
// [first_lba, first_lba + count) there. Every transfer is checked against
// the window, so a file system on a partition cannot touch its neighbours.
#pragma once

#include "kernel/fs/BlockDevice.h"

namespace fluid {

class PartitionBlockDevice final : public BlockDevice {
public:
    // Fails if the window does not lie inside `parent`.
    static ErrorOr<PartitionBlockDevice> create(BlockDevice& parent, uint64_t first_lba, uint64_t count);

    uint64_t sector_count() const override { return m_count; }
    uint64_t first_lba() const { return m_first_lba; }

    ErrorOr<void> read(uint64_t lba, size_t count, void* buffer) override;
    ErrorOr<void> write(uint64_t lba, size_t count, const void* buffer) override;
    ErrorOr<void> flush() override { return m_parent->flush(); }

private:
    PartitionBlockDevice(BlockDevice& parent, uint64_t first_lba, uint64_t count)
        : m_parent(&parent)
        , m_first_lba(first_lba)
        , m_count(count)
    {
    }
    ErrorOr<void> check(const char* what, uint64_t lba, size_t count) const;

    BlockDevice* m_parent;
    uint64_t m_first_lba;
    uint64_t m_count;
};

} // namespace fluid
