#include "kernel/fs/MemoryBlockDevice.h"

#include <cstring>

namespace fluid {

MemoryBlockDevice::MemoryBlockDevice(std::span<uint8_t> bytes)
    : m_bytes(bytes.data())
    , m_writable(bytes.data())
    , m_sectors(bytes.size() / sector_size)
{
}

MemoryBlockDevice::MemoryBlockDevice(std::span<const uint8_t> bytes)
    : m_bytes(bytes.data())
    , m_sectors(bytes.size() / sector_size)
{
}

ErrorOr<void> MemoryBlockDevice::read(uint64_t lba, size_t count, void* buffer)
{
    if (!range_fits(lba, count, m_sectors))
        return Error::format(ErrorCode::IoError,
                             "block: read of %zu sectors at %llu is beyond the device (%llu sectors)",
                             count, (unsigned long long)lba, (unsigned long long)m_sectors);
    if (count)
        memcpy(buffer, m_bytes + lba * sector_size, count * sector_size);
    return {};
}

ErrorOr<void> MemoryBlockDevice::write(uint64_t lba, size_t count, const void* buffer)
{
    if (!m_writable)
        return Error::from(ErrorCode::Unsupported, "block: the memory device is read-only");
    if (!range_fits(lba, count, m_sectors))
        return Error::format(ErrorCode::IoError,
                             "block: write of %zu sectors at %llu is beyond the device (%llu sectors)",
                             count, (unsigned long long)lba, (unsigned long long)m_sectors);
    if (count)
        memcpy(m_writable + lba * sector_size, buffer, count * sector_size);
    return {};
}

} // namespace fluid
