// Encodings from ACPI 6.5 §20.2 "AML Grammar Definition". Every read is
// bounded by the enclosing package (or the DSDT) before it happens.
#include "kernel/acpi/Aml.h"

#include <cstring>

namespace fluid::acpi {

namespace {

// §20.2.5.1 NameOp, §20.2.5.4 PackageOp, §20.2.3 data object prefixes.
constexpr uint8_t name_op = 0x08;
constexpr uint8_t root_char = '\\';
constexpr uint8_t package_op = 0x12;
constexpr uint8_t zero_op = 0x00;
constexpr uint8_t one_op = 0x01;
constexpr uint8_t byte_prefix = 0x0a;
constexpr uint8_t word_prefix = 0x0b;
constexpr uint8_t dword_prefix = 0x0c;
constexpr uint8_t qword_prefix = 0x0e;
constexpr uint8_t max_sleep_type = 7; // SLP_TYP is 3 bits wide

// §20.2.4 PkgLength: bits 7-6 of the lead byte count the bytes that follow.
// With none, bits 5-0 are the length; otherwise bits 3-0 are its low nibble
// and each following byte adds 8 more bits. The length counts itself.
ErrorOr<size_t> read_package_length(std::span<const uint8_t> aml, size_t& at)
{
    if (at >= aml.size())
        return Error::from(ErrorCode::Invalid, "AML: PkgLength runs past the end of the DSDT");
    uint8_t lead = aml[at++];
    size_t follow = lead >> 6;
    if (follow == 0)
        return size_t(lead & 0x3f);
    if (aml.size() - at < follow)
        return Error::from(ErrorCode::Invalid, "AML: PkgLength runs past the end of the DSDT");
    size_t length = lead & 0x0f;
    for (size_t i = 0; i < follow; i++)
        length |= size_t(aml[at++]) << (4 + 8 * i);
    return length;
}

ErrorOr<uint64_t> read_integer(std::span<const uint8_t> aml, size_t& at, size_t end)
{
    if (at >= end)
        return Error::from(ErrorCode::Invalid, "AML: \\_S5_ package ends before its elements");
    uint8_t op = aml[at++];
    size_t width = 0;
    switch (op) {
    case zero_op: return uint64_t(0);
    case one_op: return uint64_t(1);
    case byte_prefix: width = 1; break;
    case word_prefix: width = 2; break;
    case dword_prefix: width = 4; break;
    case qword_prefix: width = 8; break;
    default:
        return Error::format(ErrorCode::Unsupported, "AML: \\_S5_ element has opcode %#x, not an integer constant", op);
    }
    if (end - at < width)
        return Error::from(ErrorCode::Invalid, "AML: \\_S5_ integer runs past its package");
    uint64_t value = 0;
    memcpy(&value, aml.data() + at, width); // AML is little-endian, as is x86
    at += width;
    return value;
}

ErrorOr<uint8_t> read_sleep_type(std::span<const uint8_t> aml, size_t& at, size_t end)
{
    uint64_t value = TRY(read_integer(aml, at, end));
    if (value > max_sleep_type)
        return Error::format(ErrorCode::Invalid, "AML: \\_S5_ sleep type %llu does not fit SLP_TYP",
                             static_cast<unsigned long long>(value));
    return uint8_t(value);
}

ErrorOr<SleepTypes> decode_package(std::span<const uint8_t> aml, size_t at)
{
    if (at >= aml.size() || aml[at] != package_op)
        return Error::from(ErrorCode::Unsupported, "AML: \\_S5_ is not defined as a package");
    size_t start = ++at;
    size_t length = TRY(read_package_length(aml, at));
    if (length > aml.size() - start || start + length <= at)
        return Error::format(ErrorCode::Invalid, "AML: \\_S5_ package length %zu does not fit the DSDT", length);
    size_t end = start + length;
    uint8_t elements = aml[at++];
    if (elements < 2)
        return Error::format(ErrorCode::Invalid, "AML: \\_S5_ package has %u elements, needs 2", elements);
    SleepTypes types {};
    types.a = TRY(read_sleep_type(aml, at, end));
    types.b = TRY(read_sleep_type(aml, at, end));
    return types;
}

} // namespace

ErrorOr<SleepTypes> find_s5_sleep_types(std::span<const uint8_t> aml)
{
    static constexpr uint8_t name[4] = { '_', 'S', '5', '_' };
    for (size_t i = 1; i + sizeof(name) <= aml.size(); i++) {
        if (memcmp(aml.data() + i, name, sizeof(name)) != 0)
            continue;
        // Only a definition counts: NameOp "_S5_" or NameOp "\_S5_". Other
        // occurrences are references to the object.
        bool defined = aml[i - 1] == name_op || (i >= 2 && aml[i - 1] == root_char && aml[i - 2] == name_op);
        if (defined)
            return decode_package(aml, i + sizeof(name));
    }
    return Error::from(ErrorCode::NotFound, "AML: no \\_S5_ object in the DSDT");
}

} // namespace fluid::acpi
