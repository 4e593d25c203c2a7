#include "kernel/drivers/AhciController.h"

namespace fluid {

using namespace ahci;

ErrorOr<void> AhciController::reset()
{
    // Software sets GHC.AE before touching anything else [§3.1.2]; then
    // GHC.HR resets the HBA and every port (a COMRESET to each device), and
    // the HBA clears it when done, within 1 s [§10.4.3].
    m_hba.write32(Ghc, m_hba.read32(Ghc) | ghc_ae);
    m_hba.write32(Ghc, ghc_ae | ghc_hr);
    if (!wait(1000, [&] { return !(m_hba.read32(Ghc) & ghc_hr); }))
        return Error::format(ErrorCode::Timeout, "AHCI: HBA reset did not complete within 1 s");
    // The reset cleared AE (unless CAP.SAM fixes it); interrupts stay off.
    m_hba.write32(Ghc, ghc_ae);
    if (!(m_hba.read32(Ghc) & ghc_ae))
        return Error::format(ErrorCode::Unsupported, "AHCI: controller does not enter AHCI mode");
    return {};
}

ErrorOr<void> AhciController::initialize()
{
    m_cap = m_hba.read32(Cap);
    m_version = m_hba.read32(Vs);
    if (m_cap == 0xffffffff)
        return Error::format(ErrorCode::NotFound, "AHCI: no controller answers at ABAR");
    TRY(reset());
    m_cap = m_hba.read32(Cap);
    uint32_t implemented = m_hba.read32(Pi);

    // After the reset each port re-establishes its link; the PHY comes up
    // within 10 ms of COMRESET [SATA 3.0 §8.4]. Wait for every implemented
    // port together, but no longer than 50 ms: an empty port never does.
    auto link_up = [&](uint32_t port) { return (m_hba.read32(port_base(port) + PxSsts) & 0xf) == ssts_det_present; };
    wait(50, [&] {
        for (uint32_t port = 0; port < max_ports; ++port)
            if ((implemented & (1u << port)) && !link_up(port))
                return false;
        return true;
    });

    for (uint32_t port = 0; port < max_ports; ++port) {
        if (!(implemented & (1u << port)) || !link_up(port))
            continue;
        auto disk = AhciDisk::create(*this, port);
        if (disk.is_error()) {
            if (disk.error().code() != ErrorCode::NotFound)
                m_problems.push_back(std::make_unique<Error>(disk.error()));
            continue;
        }
        m_disks.push_back(disk.release_value());
    }
    return {};
}

} // namespace fluid
