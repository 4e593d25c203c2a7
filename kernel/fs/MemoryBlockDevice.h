// A BlockDevice over a byte buffer owned by someone else: a disk image in
// the host tests, or a GRUB module in the kernel. The buffer may be
// read-only, in which case writes fail.
#pragma once

#include "kernel/fs/BlockDevice.h"

#include <span>

namespace fluid {

class MemoryBlockDevice final : public BlockDevice {
public:
    // A trailing partial sector is not part of the device.
    explicit MemoryBlockDevice(std::span<uint8_t> bytes);
    explicit MemoryBlockDevice(std::span<const uint8_t> bytes);

    uint64_t sector_count() const override { return m_sectors; }
    bool is_read_only() const { return m_writable == nullptr; }

    ErrorOr<void> read(uint64_t lba, size_t count, void* buffer) override;
    ErrorOr<void> write(uint64_t lba, size_t count, const void* buffer) override;
    ErrorOr<void> flush() override { return {}; }

private:
    const uint8_t* m_bytes { nullptr };
    uint8_t* m_writable { nullptr };
    uint64_t m_sectors { 0 };
};

} // namespace fluid
