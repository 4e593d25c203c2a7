// An open FAT16 file: its size and the extents of its cluster chain, read
// once at open. A handle is a snapshot; it does not see later writes
// through the volume.
#pragma once

#include "kernel/fs/ClusterChain.h"

#include <span>

namespace fluid {

class FatFile {
public:
    FatFile() = default;
    FatFile(ClusterChain chain, uint32_t size)
        : m_chain(std::move(chain))
        , m_size(size)
    {
    }

    uint32_t size() const { return m_size; }
    // Number of device runs the data lives in (1 = contiguous).
    size_t extent_count() const { return m_chain.extents().size(); }

    // Reads up to out.size() bytes at `offset`; fewer at the end of the
    // file, 0 at or past it.
    ErrorOr<size_t> read_at(uint64_t offset, std::span<uint8_t> out) const
    {
        if (offset >= m_size)
            return size_t(0);
        size_t length = out.size();
        if (length > m_size - offset)
            length = size_t(m_size - offset);
        TRY(m_chain.read(offset, out.first(length)));
        return length;
    }

private:
    ClusterChain m_chain;
    uint32_t m_size { 0 };
};

} // namespace fluid
