// A scriptable stand-in for x86 port I/O: records writes, answers reads
// from per-port queues or a default, and can emulate a 16550's loopback.
#pragma once

#include "kernel/drivers/PortIo.h"

#include <cstdint>
#include <deque>
#include <map>
#include <vector>

namespace fluid::test {

class FakePortIo final : public PortIo {
public:
    struct Access {
        uint16_t port;
        uint32_t value;
    };

    std::vector<Access> writes;
    std::map<uint16_t, std::deque<uint8_t>> read_queue;
    std::map<uint16_t, uint8_t> read_default;
    // When set, a byte written to `loopback_port` is read back from it.
    bool loopback { false };
    uint16_t loopback_port { 0 };

    uint8_t read8(uint16_t port) override
    {
        auto queued = read_queue.find(port);
        if (queued != read_queue.end() && !queued->second.empty()) {
            uint8_t v = queued->second.front();
            queued->second.pop_front();
            return v;
        }
        if (loopback && port == loopback_port && m_last_write.count(port))
            return m_last_write[port];
        auto d = read_default.find(port);
        return d == read_default.end() ? 0xff : d->second;
    }
    void write8(uint16_t port, uint8_t value) override
    {
        writes.push_back({ port, value });
        m_last_write[port] = value;
    }
    uint16_t read16(uint16_t) override { return 0xffff; }
    void write16(uint16_t port, uint16_t value) override { writes.push_back({ port, value }); }
    uint32_t read32(uint16_t) override { return 0xffffffff; }
    void write32(uint16_t port, uint32_t value) override { writes.push_back({ port, value }); }

    std::vector<uint8_t> bytes_written_to(uint16_t port) const
    {
        std::vector<uint8_t> out;
        for (const Access& a : writes)
            if (a.port == port)
                out.push_back(uint8_t(a.value));
        return out;
    }

private:
    std::map<uint16_t, uint8_t> m_last_write;
};

} // namespace fluid::test
