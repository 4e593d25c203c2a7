// with_identification(): rewrites a bitcode file's identification block.
// A small LLVM bitstream reader/writer of our own, so the tests need no
// LLVM headers (the archives lack RTTI, the tests use it).
//
// Bitstream basics: fields are packed LSB-first into little-endian 32-bit
// words; VBR-n fields are n-bit chunks whose top bit says "more follows".
// At the top level abbreviation IDs are 2 bits wide. A block is
//   ENTER_SUBBLOCK(1) blockid:vbr8 abbrevwidth:vbr4 <align32> words:32
//   ...records... END_BLOCK(0) <align32>
// and an unabbreviated record is UNABBREV_RECORD(3) code:vbr6 count:vbr6
// op:vbr6... The identification block (id 13) holds STRING (1), the
// producer, and EPOCH (2), which LLVM refuses unless it equals its own.
#include "tests/unit/jit/JitTestSupport.h"

namespace fluid::jit::test {

namespace {

constexpr unsigned identification_block_id = 13;

class BitWriter {
public:
    void emit(uint64_t value, unsigned width)
    {
        for (unsigned i = 0; i < width; ++i, ++m_bit) {
            if (m_bit / 8 >= m_bytes.size())
                m_bytes.push_back(0);
            if ((value >> i) & 1)
                m_bytes[m_bit / 8] |= static_cast<uint8_t>(1u << (m_bit % 8));
        }
    }
    void emit_vbr(uint64_t value, unsigned width)
    {
        const uint64_t more = uint64_t(1) << (width - 1);
        for (; value >= more; value >>= width - 1)
            emit((value & (more - 1)) | more, width);
        emit(value, width);
    }
    void align32()
    {
        while (m_bit % 32 != 0)
            emit(0, 1);
    }
    void patch32(size_t byte_offset, uint32_t value)
    {
        for (int i = 0; i < 4; ++i)
            m_bytes[byte_offset + i] = static_cast<uint8_t>(value >> (8 * i));
    }
    size_t bit() const { return m_bit; }
    std::vector<uint8_t>& bytes() { return m_bytes; }

private:
    std::vector<uint8_t> m_bytes;
    size_t m_bit { 0 };
};

class BitReader {
public:
    explicit BitReader(const std::vector<uint8_t>& bytes, size_t bit)
        : m_bytes(bytes)
        , m_bit(bit)
    {
    }
    bool read(unsigned width, uint64_t& value)
    {
        value = 0;
        for (unsigned i = 0; i < width; ++i, ++m_bit) {
            if (m_bit / 8 >= m_bytes.size())
                return false;
            value |= uint64_t((m_bytes[m_bit / 8] >> (m_bit % 8)) & 1) << i;
        }
        return true;
    }
    bool read_vbr(unsigned width, uint64_t& value)
    {
        value = 0;
        uint64_t chunk = 0;
        for (unsigned shift = 0; shift < 64; shift += width - 1) {
            if (!read(width, chunk))
                return false;
            value |= (chunk & ((uint64_t(1) << (width - 1)) - 1)) << shift;
            if (!(chunk >> (width - 1)))
                return true;
        }
        return false;
    }
    void align32() { m_bit = (m_bit + 31) / 32 * 32; }
    size_t bit() const { return m_bit; }

private:
    const std::vector<uint8_t>& m_bytes;
    size_t m_bit;
};

// Byte offset just past the identification block at bit 32, or 0.
size_t end_of_identification_block(const std::vector<uint8_t>& bitcode)
{
    BitReader reader(bitcode, 32);
    uint64_t abbrev = 0, block = 0, width = 0, words = 0;
    if (!reader.read(2, abbrev) || abbrev != 1 || !reader.read_vbr(8, block) || block != identification_block_id
        || !reader.read_vbr(4, width))
        return 0;
    reader.align32();
    if (!reader.read(32, words))
        return 0;
    size_t end = reader.bit() / 8 + words * 4;
    return end <= bitcode.size() ? end : 0;
}

void write_record(BitWriter& writer, unsigned abbrev_width, unsigned code, const std::vector<uint64_t>& ops)
{
    writer.emit(3, abbrev_width);  // UNABBREV_RECORD
    writer.emit_vbr(code, 6);
    writer.emit_vbr(ops.size(), 6);
    for (uint64_t op : ops)
        writer.emit_vbr(op, 6);
}

} // namespace

std::vector<uint8_t> with_identification(const std::vector<uint8_t>& bitcode, const std::string& producer,
                                         uint64_t epoch)
{
    size_t rest = end_of_identification_block(bitcode);
    if (rest == 0)
        return {};

    constexpr unsigned width = 3;
    BitWriter writer;
    for (int i = 0; i < 4; ++i)
        writer.emit(bitcode[i], 8);  // 'B' 'C' 0xC0DE
    writer.emit(1, 2);               // ENTER_SUBBLOCK
    writer.emit_vbr(identification_block_id, 8);
    writer.emit_vbr(width, 4);
    writer.align32();
    size_t length_offset = writer.bit() / 8;
    writer.emit(0, 32);  // block length, patched below
    write_record(writer, width, 1, std::vector<uint64_t>(producer.begin(), producer.end()));
    write_record(writer, width, 2, { epoch });
    writer.emit(0, width);  // END_BLOCK
    writer.align32();
    writer.patch32(length_offset, static_cast<uint32_t>((writer.bit() / 8 - length_offset - 4) / 4));

    std::vector<uint8_t> result = std::move(writer.bytes());
    result.insert(result.end(), bitcode.begin() + static_cast<ptrdiff_t>(rest), bitcode.end());
    return result;
}

} // namespace fluid::jit::test
