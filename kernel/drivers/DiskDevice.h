// A whole disk as the storage layer sees it: sectors plus the model string
// the drive reports (IDENTIFY DEVICE words 27-46 [ATA8-ACS §7.16]).
// AtaPioDisk and AhciDisk are the two kinds.
#pragma once

#include "kernel/fs/BlockDevice.h"

namespace fluid {

class DiskDevice : public BlockDevice {
public:
    virtual const char* model() const = 0;
};

} // namespace fluid
