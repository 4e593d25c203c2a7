// An emulated AHCI HBA with one SATA disk on port 0, behind the Mmio
// interface: it keeps the registers AhciController/AhciDisk use, and on a
// write to PxCI walks the command list, command table and PRDT in host
// memory like the real DMA engine [AHCI 1.3.1 §5.5], running IDENTIFY,
// READ/WRITE DMA EXT and FLUSH CACHE EXT against a byte vector.
#pragma once

#include "kernel/drivers/AhciStructures.h"
#include "kernel/drivers/DmaMemory.h"
#include "kernel/drivers/Mmio.h"

#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <vector>

namespace fluid::test {

class FakeAhciHba final : public Mmio {
public:
    explicit FakeAhciHba(uint64_t sectors) : disk(sectors * 512) { }

    std::vector<uint8_t> disk;
    bool reset_hangs { false };
    bool disk_attached { true };
    uint64_t fail_at_lba { ~uint64_t(0) }; // a command covering it fails (UNC)
    std::vector<uint8_t> commands;         // ATA commands in order
    std::vector<uint32_t> sectors_per_command;
    unsigned max_prdt_entries { 0 };
    unsigned flushes { 0 };

    uint32_t read32(uint32_t offset) override
    {
        using namespace ahci;
        if (offset == Cap)
            return cap_s64a | (31u << 8);
        if (offset == Pi)
            return 1;
        uint32_t port = port_base(0);
        if (offset == port + PxSsts)
            return disk_attached ? 0x123 : 0;
        if (offset == port + PxSig)
            return (m_regs[port + PxCmd] & cmd_fre) ? sig_ata : 0xffffffff;
        if (offset == port + PxCmd) {
            uint32_t cmd = m_regs[offset] & ~(cmd_cr | cmd_fr);
            return cmd | ((cmd & cmd_st) ? cmd_cr : 0) | ((cmd & cmd_fre) ? cmd_fr : 0);
        }
        if (offset == port + PxTfd)
            return m_tfd;
        return m_regs[offset];
    }

    void write32(uint32_t offset, uint32_t value) override
    {
        using namespace ahci;
        uint32_t port = port_base(0);
        if (offset == Ghc) {
            m_regs[Ghc] = (value & ghc_hr) && reset_hangs ? value : (value & ~ghc_hr);
            if ((value & ghc_hr) && !reset_hangs)
                m_tfd = 0x50;
        } else if (offset == port + PxIs || offset == port + PxSerr) {
            m_regs[offset] &= ~value; // write 1 to clear
        } else if (offset == port + PxCi) {
            if ((m_regs[port + PxCmd] & cmd_st) && (value & 1))
                run_slot0();
        } else {
            m_regs[offset] = value;
        }
    }

private:
    template<typename T>
    static T* at(uint32_t low, uint32_t high)
    {
        return reinterpret_cast<T*>(uintptr_t(uint64_t(high) << 32 | low));
    }

    void run_slot0()
    {
        using namespace ahci;
        uint32_t port = port_base(0);
        auto* header = at<CommandHeader>(m_regs[port + PxClb], m_regs[port + PxClbu]);
        auto* table = at<CommandTable>(header->table_low, header->table_high);
        auto* fis = reinterpret_cast<FisRegisterH2D*>(table->command_fis);
        uint64_t lba = uint64_t(fis->lba0) | uint64_t(fis->lba1) << 8 | uint64_t(fis->lba2) << 16 |
                       uint64_t(fis->lba3) << 24 | uint64_t(fis->lba4) << 32 | uint64_t(fis->lba5) << 40;
        uint32_t count = fis->count ? fis->count : 65536;
        commands.push_back(fis->command);
        if (header->prdt_length > max_prdt_entries)
            max_prdt_entries = header->prdt_length;

        std::vector<uint8_t> data;
        if (fis->command == 0xec) {
            data.assign(512, 0);
            auto* words = reinterpret_cast<uint16_t*>(data.data());
            const char model[] = "FAKE AHCI DISK                          ";
            for (int i = 0; i < 20; ++i)
                words[27 + i] = uint16_t(uint8_t(model[2 * i]) << 8 | uint8_t(model[2 * i + 1]));
            words[83] = 1u << 10;
            uint64_t sectors = disk.size() / 512;
            for (int i = 0; i < 4; ++i)
                words[100 + i] = uint16_t(sectors >> (16 * i));
        } else if (fis->command == 0x25 || fis->command == 0x35) {
            sectors_per_command.push_back(count);
            if (fail_at_lba >= lba && fail_at_lba < lba + count) {
                m_regs[port + PxIs] |= is_tfes;
                m_tfd = 0x41 | (0x40 << 8); // ERR, error register UNC
                return;                      // CI stays set, as on an HBA
            }
            if (fis->command == 0x25)
                data.assign(disk.begin() + lba * 512, disk.begin() + (lba + count) * 512);
            else
                data.resize(size_t(count) * 512);
        } else if (fis->command == 0xea) {
            ++flushes;
        }
        // Scatter to (or gather from) the PRD entries.
        size_t done = 0;
        for (unsigned i = 0; i < header->prdt_length && done < data.size(); ++i) {
            auto& entry = table->prdt[i];
            size_t bytes = (entry.byte_count_flags & 0x3fffff) + 1;
            auto* memory = at<uint8_t>(entry.address_low, entry.address_high);
            if (fis->command == 0x35)
                memcpy(data.data() + done, memory, bytes);
            else
                memcpy(memory, data.data() + done, bytes);
            done += bytes;
        }
        if (fis->command == 0x35)
            memcpy(disk.data() + lba * 512, data.data(), data.size());
        header->prd_byte_count = uint32_t(done);
        m_regs[port + PxCi] = 0;
    }

    std::map<uint32_t, uint32_t> m_regs;
    uint32_t m_tfd { 0x80 }; // BSY until the reset
};

// DmaMemory from the host heap; freed with the object.
class FakeDmaMemory final : public DmaMemory {
public:
    ErrorOr<void*> allocate(size_t bytes, bool) override
    {
        size_t rounded = (bytes + 4095) & ~size_t(4095);
        void* p = std::aligned_alloc(4096, rounded);
        memset(p, 0, rounded);
        m_blocks.emplace_back(p);
        return p;
    }

private:
    struct Free {
        void operator()(void* p) const { std::free(p); }
    };
    std::vector<std::unique_ptr<void, Free>> m_blocks;
};

} // namespace fluid::test
