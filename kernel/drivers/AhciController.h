// An AHCI SATA host bus adapter [AHCI 1.3.1]: resets it into AHCI mode,
// finds the implemented ports with an ATA disk attached and hands out one
// AhciDisk per disk. It touches the HBA only through Mmio (ABAR, BAR5) and
// gets descriptor memory from DmaMemory, so it runs against fakes on the
// host. Interrupts stay off (GHC.IE = 0): completion is polled, and every
// wait is bounded by the clock so a dead controller is reported.
#pragma once

#include "kernel/drivers/AhciDisk.h"
#include "kernel/drivers/DmaMemory.h"
#include "kernel/drivers/Mmio.h"
#include "kernel/lib/ErrorOr.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace fluid {

class AhciController {
public:
    using Clock = uint64_t (*)(); // nanoseconds, monotonic

    AhciController(Mmio& hba, DmaMemory& dma, Clock now_ns) : m_hba(hba), m_dma(dma), m_now_ns(now_ns) { }

    // HBA reset, AHCI enable, then IDENTIFY on each port with a disk. Ports
    // that fail are reported in `problems` (one line each) and skipped.
    ErrorOr<void> initialize();

    // The disks found by initialize(), in port order; the caller owns them
    // but they keep referring to this controller, which must outlive them.
    std::vector<std::unique_ptr<AhciDisk>> take_disks() { return std::move(m_disks); }
    const std::vector<std::unique_ptr<Error>>& problems() const { return m_problems; }

    bool supports_64bit() const { return m_cap & ahci::cap_s64a; }
    uint32_t version() const { return m_version; }
    Mmio& hba() { return m_hba; }
    DmaMemory& dma() { return m_dma; }

    // Polls `done` until it holds or `timeout_ms` pass. The clock bounds
    // the wait; a poll count bounds it too, in case the clock stands still.
    template<typename Done>
    bool wait(uint32_t timeout_ms, Done done)
    {
        uint64_t start = m_now_ns();
        for (uint64_t polls = 0; polls < max_polls; ++polls) {
            if (done())
                return true;
            if (m_now_ns() - start > uint64_t(timeout_ms) * 1'000'000)
                return done();
        }
        return done();
    }

private:
    static constexpr uint64_t max_polls = 200'000'000;

    ErrorOr<void> reset();

    Mmio& m_hba;
    DmaMemory& m_dma;
    Clock m_now_ns;
    uint32_t m_cap { 0 };
    uint32_t m_version { 0 };
    std::vector<std::unique_ptr<AhciDisk>> m_disks;
    std::vector<std::unique_ptr<Error>> m_problems;
};

} // namespace fluid
