#include "kernel/fs/PartitionBlockDevice.h"

namespace fluid {

ErrorOr<PartitionBlockDevice> PartitionBlockDevice::create(BlockDevice& parent, uint64_t first_lba, uint64_t count)
{
    if (!range_fits(first_lba, count, parent.sector_count()))
        return Error::format(ErrorCode::Invalid,
                             "block: partition of %llu sectors at %llu is beyond the disk (%llu sectors)",
                             (unsigned long long)count, (unsigned long long)first_lba,
                             (unsigned long long)parent.sector_count());
    return PartitionBlockDevice(parent, first_lba, count);
}

ErrorOr<void> PartitionBlockDevice::check(const char* what, uint64_t lba, size_t count) const
{
    if (!range_fits(lba, count, m_count))
        return Error::format(ErrorCode::IoError,
                             "block: %s of %zu sectors at %llu is beyond the partition (%llu sectors)",
                             what, count, (unsigned long long)lba, (unsigned long long)m_count);
    return {};
}

ErrorOr<void> PartitionBlockDevice::read(uint64_t lba, size_t count, void* buffer)
{
    TRY(check("read", lba, count));
    return m_parent->read(m_first_lba + lba, count, buffer);
}

ErrorOr<void> PartitionBlockDevice::write(uint64_t lba, size_t count, const void* buffer)
{
    TRY(check("write", lba, count));
    return m_parent->write(m_first_lba + lba, count, buffer);
}

} // namespace fluid
