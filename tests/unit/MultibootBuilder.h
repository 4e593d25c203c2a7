// Builds Multiboot2 boot information blobs (Multiboot2 §3.6) for tests.
#pragma once

#include "kernel/boot/BootInfo.h"
#include "kernel/boot/Multiboot2.h"

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace fluid::test {

class MultibootBuilder {
public:
    MultibootBuilder() { m_bytes.resize(8); }

    // Appends a tag: header with `size` (default: 8 + payload) then payload, padded to 8.
    MultibootBuilder& tag(uint32_t type, const std::vector<uint8_t>& payload, uint32_t size_override = 0)
    {
        uint32_t size = size_override ? size_override : uint32_t(8 + payload.size());
        append32(type);
        append32(size);
        m_bytes.insert(m_bytes.end(), payload.begin(), payload.end());
        while (m_bytes.size() % 8)
            m_bytes.push_back(0);
        return *this;
    }

    MultibootBuilder& string_tag(uint32_t type, const std::string& text)
    {
        std::vector<uint8_t> payload(text.begin(), text.end());
        payload.push_back(0);
        return tag(type, payload);
    }

    MultibootBuilder& end() { return tag(0, {}); }

    // Writes total_size (actual size unless overridden) and returns an
    // 8-byte-aligned copy.
    const void* finish(uint32_t total_override = 0)
    {
        uint32_t total = total_override ? total_override : uint32_t(m_bytes.size());
        memcpy(m_bytes.data(), &total, 4);
        m_storage.assign((m_bytes.size() + 7) / 8, 0);
        memcpy(m_storage.data(), m_bytes.data(), m_bytes.size());
        return m_storage.data();
    }
    size_t size() const { return m_bytes.size(); }

    static void put32(std::vector<uint8_t>& out, uint32_t value) { put(out, &value, 4); }
    static void put64(std::vector<uint8_t>& out, uint64_t value) { put(out, &value, 8); }
    static void put(std::vector<uint8_t>& out, const void* data, size_t length)
    {
        auto bytes = static_cast<const uint8_t*>(data);
        out.insert(out.end(), bytes, bytes + length);
    }

private:
    void append32(uint32_t value) { put32(m_bytes, value); }

    std::vector<uint8_t> m_bytes;
    std::vector<uint64_t> m_storage;
};

// Payload builders for the tags BootInfo.cpp understands.
inline std::vector<uint8_t> memory_map(const std::vector<multiboot2::MemoryMapEntry>& entries, uint32_t entry_size = 24)
{
    std::vector<uint8_t> payload;
    MultibootBuilder::put32(payload, entry_size);
    MultibootBuilder::put32(payload, 0);
    for (auto& entry : entries) {
        MultibootBuilder::put(payload, &entry, sizeof(entry));
        payload.resize(payload.size() + entry_size - sizeof(entry), 0);
    }
    return payload;
}

inline std::vector<uint8_t> module(uint32_t start, uint32_t end, const std::string& cmdline)
{
    std::vector<uint8_t> payload;
    MultibootBuilder::put32(payload, start);
    MultibootBuilder::put32(payload, end);
    payload.insert(payload.end(), cmdline.begin(), cmdline.end());
    payload.push_back(0);
    return payload;
}

inline std::vector<uint8_t> rsdp_payload(uint8_t revision, size_t length)
{
    std::vector<uint8_t> payload(length, 0);
    memcpy(payload.data(), "RSD PTR ", 8);
    payload[15] = revision;
    return payload;
}

inline std::vector<uint8_t> elf_sections(const std::vector<multiboot2::Elf64SectionHeader>& sections,
                                         uint32_t entsize = 64)
{
    std::vector<uint8_t> payload;
    MultibootBuilder::put32(payload, uint32_t(sections.size()));
    MultibootBuilder::put32(payload, entsize);
    MultibootBuilder::put32(payload, 0);
    for (auto& section : sections)
        MultibootBuilder::put(payload, &section, sizeof(section));
    return payload;
}

inline multiboot2::Elf64SectionHeader section(uint32_t type, uint64_t address, uint64_t size, uint32_t link = 0)
{
    multiboot2::Elf64SectionHeader header {};
    header.sh_type = type;
    header.sh_addr = address;
    header.sh_size = size;
    header.sh_link = link;
    return header;
}

// parse_multiboot2 on the finished blob; BootInfo is ~12 KiB, so it lives on the heap.
struct Parsed {
    std::unique_ptr<BootInfo> info = std::make_unique<BootInfo>();
    ErrorOr<void> result;
};

inline Parsed parse(MultibootBuilder& builder, uint32_t total_override = 0, size_t max_size = 0)
{
    const void* blob = builder.finish(total_override);
    Parsed parsed;
    parsed.result = parse_multiboot2(blob, max_size ? max_size : builder.size(), *parsed.info);
    return parsed;
}

} // namespace fluid::test
