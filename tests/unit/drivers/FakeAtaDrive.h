// An emulated ATA drive on the primary channel, behind the PortIo
// interface: enough of the register protocol [ATA/ATAPI-6 §9] for
// IDENTIFY DEVICE, READ/WRITE SECTORS EXT and FLUSH CACHE EXT, with a disk
// held in memory. Tests can make it absent, an ATAPI device, or failing.
#pragma once

#include "kernel/drivers/PortIo.h"

#include <cstdint>
#include <cstring>
#include <vector>

namespace fluid::test {

class FakeAtaDrive final : public PortIo {
public:
    enum class Kind { Disk, Absent, Packet };
    Kind kind { Kind::Disk };
    std::vector<uint8_t> disk;
    bool fail_reads { false };
    bool stuck_busy { false };
    int commands { 0 };
    int flushes { 0 };

    explicit FakeAtaDrive(size_t sectors) : disk(sectors * 512) { }

    uint8_t read8(uint16_t port) override
    {
        if (kind == Kind::Absent)
            return 0xff;
        switch (port) {
        case 0x1f1: return m_error;
        case 0x1f4: return kind == Kind::Packet ? 0x14 : 0;
        case 0x1f5: return kind == Kind::Packet ? 0xeb : 0;
        case 0x1f7:
        case 0x3f6: return stuck_busy ? 0x80 : m_status;
        default: return 0;
        }
    }

    void write8(uint16_t port, uint8_t value) override
    {
        switch (port) {
        case 0x1f2: m_count = uint16_t((m_count << 8) | value); break;
        case 0x1f3: m_lba[0] = (m_lba[0] << 8) | value; break;
        case 0x1f4: m_lba[1] = (m_lba[1] << 8) | value; break;
        case 0x1f5: m_lba[2] = (m_lba[2] << 8) | value; break;
        case 0x1f7: command(value); break;
        default: break;
        }
    }

    uint16_t read16(uint16_t port) override
    {
        if (port != 0x1f0 || m_pos >= m_buffer.size())
            return 0xffff;
        uint16_t word = uint16_t(m_buffer[m_pos] | (m_buffer[m_pos + 1] << 8));
        m_pos += 2;
        if (m_pos % 512 == 0)
            next_sector_read();
        return word;
    }

    void write16(uint16_t port, uint16_t value) override
    {
        if (port != 0x1f0 || m_pos + 1 >= m_buffer.size())
            return;
        m_buffer[m_pos] = uint8_t(value);
        m_buffer[m_pos + 1] = uint8_t(value >> 8);
        m_pos += 2;
        if (m_pos % 512 == 0)
            next_sector_written();
    }
    uint32_t read32(uint16_t) override { return 0xffffffff; }
    void write32(uint16_t, uint32_t) override { }

private:
    // Each LBA register holds two bytes (previous, current) in 48-bit mode.
    uint64_t lba() const
    {
        uint64_t low = (m_lba[0] & 0xff) | ((m_lba[1] & 0xff) << 8) | ((m_lba[2] & 0xff) << 16);
        uint64_t high = ((m_lba[0] >> 8) & 0xff) | (((m_lba[1] >> 8) & 0xff) << 8) | (((m_lba[2] >> 8) & 0xff) << 16);
        return low | (high << 24);
    }

    void command(uint8_t cmd)
    {
        ++commands;
        m_error = 0;
        m_pos = 0;
        if (kind == Kind::Absent)
            return;
        if (cmd == 0xec) {
            m_buffer.assign(512, 0);
            if (kind == Kind::Packet) {
                m_status = 0x41; // ERR: IDENTIFY DEVICE aborted for packet devices
                return;
            }
            uint64_t sectors = disk.size() / 512;
            auto put = [&](int word, uint16_t v) { m_buffer[word * 2] = uint8_t(v); m_buffer[word * 2 + 1] = uint8_t(v >> 8); };
            const char model[] = "FLUID FAKE ATA DISK                     ";
            for (int i = 0; i < 20; ++i)
                put(27 + i, uint16_t((model[2 * i] << 8) | model[2 * i + 1]));
            put(60, uint16_t(sectors));
            put(61, uint16_t(sectors >> 16));
            put(83, 1u << 10);
            for (int i = 0; i < 4; ++i)
                put(100 + i, uint16_t(sectors >> (16 * i)));
            m_remaining = 1;
            m_status = 0x58; // DRDY, DSC, DRQ
            return;
        }
        if (cmd == 0x24 || cmd == 0x34) {
            m_sector = lba();
            m_remaining = m_count ? m_count : 65536;
            m_writing = cmd == 0x34;
            if (fail_reads || (m_sector + m_remaining) * 512 > disk.size()) {
                m_status = 0x51;
                m_error = 0x10; // IDNF
                return;
            }
            load_sector();
            return;
        }
        if (cmd == 0xea) {
            ++flushes;
            m_status = 0x50;
            return;
        }
        m_status = 0x51;
        m_error = 0x04; // ABRT
    }

    void load_sector()
    {
        m_buffer.assign(disk.begin() + m_sector * 512, disk.begin() + (m_sector + 1) * 512);
        m_pos = 0;
        m_status = 0x58;
    }

    void next_sector_read()
    {
        if (--m_remaining == 0) {
            m_status = 0x50;
            return;
        }
        if (m_writing)
            return;
        ++m_sector;
        load_sector();
    }

    void next_sector_written()
    {
        memcpy(disk.data() + m_sector * 512, m_buffer.data(), 512);
        ++m_sector;
        m_pos = 0;
        if (--m_remaining == 0)
            m_status = 0x50;
    }

    uint8_t m_status { 0x50 };
    uint8_t m_error { 0 };
    uint16_t m_count { 0 };
    uint64_t m_lba[3] {};
    uint64_t m_sector { 0 };
    size_t m_remaining { 0 };
    bool m_writing { false };
    std::vector<uint8_t> m_buffer;
    size_t m_pos { 0 };
};

} // namespace fluid::test
